package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.BodyCase;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.core.account.AccountId;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.delivery.publish.PublishOutcome;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.delivery.publish.WirePayload;
import dev.herald.service.event.EventService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.herald.api.http.BodyCase.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch body streamed with each event's {@code data} kept as text reads exactly as its tree did: the same events
 * (type, data bytes, id, account, key, place), the same error for each refused event and for a refused body; and
 * the answer written by hand is the bytes its tree wrote.
 */
class BatchPublishStreamingTest {
    private static final Set<String> FIELDS = Set.of("type", "data", "id");
    private static final Set<String> PLATFORM_FIELDS = Set.of("type", "data", "id", "account", "api_key_id");

    private static BodyCase batch(String... items) {
        return json(String.join(",", items).transform(joined -> "{\"events\":[" + joined + "]}"));
    }

    private static String repeated(int count, String item) {
        return IntStream.range(0, count).mapToObj(i -> item.replace("#", Integer.toString(i)))
                .collect(Collectors.joining(","));
    }

    /** A batch of one event whose body is exactly {@code length} bytes. */
    private static BodyCase batchOfLength(int length) {
        String head = "{\"events\":[{\"type\":\"a.b\",\"data\":{\"filler\":\"";
        String tail = "\"}}]}";
        return json(head + "x".repeat(length - head.length() - tail.length()) + tail);
    }

    static List<BodyCase> bodies() {
        String ok = "{\"type\":\"order.created\",\"data\":{\"n\":1}}";
        String nested61 = "{\"a\":".repeat(61) + "1" + "}".repeat(61);
        String nested62 = "{\"a\":".repeat(62) + "1" + "}".repeat(62);
        String long101 = "9".repeat(101);
        var cases = new ArrayList<>(List.of(
                // valid
                batch(ok),
                batch(ok, "{\"data\":{\"z\":1,\"a\":[true,false,null,\"s\"]},\"id\":\"evt_1\",\"type\":\"a.b\"}",
                        "{\"type\":\"a.b\",\"data\":{},\"id\":\"evt_2\"}"),
                json(" {\n \"events\" : [ { \"type\" : \"a.b\" , \"data\" : { \"n\" : 1 , \"a\" : [ 1 , { } ] } } ,\n"
                        + "\t{\"type\":\"a.b\",\"data\":{\"s\":\"a b\"}} ] } \n"),
                batch("{\"type\":\"a.b\",\"data\":{\"f\":[10.0,1.50,1e10,1E-7,-0.0,0.0,-0,0.1,1e400,"
                        + "123456789012345678901234567890.123456789]}}",
                        "{\"type\":\"a.b\",\"data\":{\"i\":[2147483648,9223372036854775808,-0,0]}}"),
                batch("{\"type\":\"a.b\",\"data\":{\"u\":\"\\u00e9\\ud83d\\ude00\\ud800 \\u0000\\u001f\\u2028\\/"
                        + "\\\"\\\\\\b\\f\\n\\r\\t\",\"\\u0001k\\n\":\"é😀\"}}", ok),
                batch("{\"type\":\"a.b\",\"data\":{\"s\":\"é😀\"},\"id\":\"evt_é\"}"),
                // the same id twice in one batch: both are read, the store answers the second with the first
                batch("{\"type\":\"a.b\",\"data\":{\"n\":1},\"id\":\"evt_dup\"}",
                        "{\"type\":\"a.b\",\"data\":{\"n\":2},\"id\":\"evt_dup\"}"),
                // each kind of refused event, alone and together with good ones
                batch("\"not an object\""), batch("1"), batch("null"), batch("true"), batch("[]"),
                batch("[{\"type\":\"a.b\",\"data\":{}}]"), batch("{}"),
                batch("{\"data\":{}}"), batch("{\"type\":1,\"data\":{}}"), batch("{\"type\":null,\"data\":{}}"),
                batch("{\"type\":[\"a\"],\"data\":{}}"), batch("{\"type\":{\"t\":1},\"data\":{}}"),
                batch("{\"type\":\"a.b\"}"), batch("{\"type\":\"a.b\",\"data\":null}"),
                batch("{\"type\":\"a.b\",\"data\":[]}"), batch("{\"type\":\"a.b\",\"data\":\"{}\"}"),
                batch("{\"type\":\"a.b\",\"data\":5}"), batch("{\"type\":\"a.b\",\"data\":[{\"a\":1}]}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"id\":5}"), batch("{\"type\":\"a.b\",\"data\":{},\"id\":null}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"id\":\"not-an-event-id\"}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"id\":\"evt_\"}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"id\":\"evt_" + "x".repeat(65) + "\"}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"colour\":\"red\"}"),
                batch("{\"colour\":{\"x\":[1]},\"type\":1,\"size\":2}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"c\\u00f6l😀\\n\\\"\":1}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"\\ud83d\\ude00\\u0000\":1}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"\\ud800\":1}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":5}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":\"acme\",\"api_key_id\":3}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":0}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":1.5}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":99999999999999999999}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":true}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":null}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":0}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":\"3\"}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":1.0}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":1e3}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":" + "9".repeat(30) + "}"),
                batch(ok, "{\"type\":\"no.such.type\",\"data\":{}}", "{\"type\":\"a.b\"}",
                        "{\"type\":\"a.b\",\"data\":{},\"id\":\"not-an-event-id\"}", "\"not an object\"",
                        "{\"type\":\"a.b\",\"data\":{},\"colour\":\"red\"}",
                        "{\"type\":\"a.b\",\"data\":{\"n\":6},\"id\":\"evt_batch_six\"}",
                        "{\"account\":\"acme\",\"type\":\"a.b\",\"data\":{\"n\":7}}", "[1,{\"a\":2}]", ok),
                // the limits and the shape of the body
                json("{\"events\":[" + repeated(500, "{\"type\":\"a.b\",\"data\":{\"n\":#}}") + "]}"),
                json("{\"events\":[" + repeated(500, "{\"type\":\"a.b\",\"data\":{\"n\":#},\"id\":\"evt_#\","
                        + "\"account\":#}") + "]}"),
                json("{\"events\":[" + repeated(501, "{\"type\":\"a.b\",\"data\":{}}") + "]}"),
                json("{\"events\":[" + repeated(501, "1") + "]}"),
                json("{\"events\":[" + repeated(2000, "{}") + "],\"extra\":1}"),
                batchOfLength(1 << 20), batchOfLength((1 << 20) + 1),
                json("{\"events\":[]}"), json("{}"), json("{\"events\":null}"), json("{\"events\":{}}"),
                json("{\"events\":{\"type\":\"a.b\",\"data\":{}}}"), json("{\"events\":\"x\"}"),
                json("{\"events\":1}"), json("{\"events\":[" + ok + "],\"extra\":1}"),
                json("{\"extra\":[1,{\"x\":2}],\"events\":[" + ok + "]}"), json("{\"extra\":1,\"events\":{}}"),
                json("{\"extra\":1,\"events\":[]}"), json("{\"extra\":1}"), json("{\"events\":[],\"extra\":1}"),
                json("{\"events\":[" + ok + "],\"events\":[" + ok + "]}"),
                json("{\"events\":{},\"events\":[" + ok + "]}"),
                json("[" + ok + "]"), json("\"text\""), json("123"), json("null"), json("true"), json(""),
                json(" \n\t"), json("{"), json("{\"events\":"), json("{\"events\":["), json("{\"events\":[" + ok),
                json("{\"events\":[" + ok + ","), json("{\"events\":[" + ok + "]"),
                // malformed anywhere refuses the whole body
                batch(ok, "{\"type\":\"a.b\",\"data\":{\"n\":1,}}"), batch(ok, "{\"type\":\"a.b\",\"data\":{\"n\":1}"),
                batch(ok, "{\"type\":\"a.b\",\"data\":{\"n\":01}}"), batch(ok, "{\"type\":\"a.b\",\"data\":{\"n\":NaN}}"),
                batch(ok, "{\"type\":\"a.b\",\"data\":{'n':1}}"), batch(ok, "{\"type\":\"a.b\",\"data\":{\"n\":1 /* c */}}"),
                json("{\"events\":[" + ok + ",]}"), json("{\"events\":[" + ok + "],}"),
                json("{\"events\":[" + ok + "]} x"), json("{\"events\":[" + ok + "]} {}"),
                json("{\"events\":[" + ok + "]}]"), json("{\"events\":[" + ok + "]}  \n"),
                batch("{\"type\":\"a\",\"type\":\"b\",\"data\":{}}"),
                batch("{\"type\":\"a.b\",\"data\":{\"k\":1,\"k\":2}}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"data\":{}}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"extra\":{\"k\":1,\"k\":2}}"),
                batch("[{\"k\":1,\"k\":2}]"),
                json("{\"events\":[" + ok + "],\"extra\":{\"k\":1,\"k\":2}}"),
                // what the reader's limits refuse, wherever it is
                batch("{\"type\":\"a.b\",\"data\":{\"big\":" + long101 + "}}"),
                batch("{\"type\":\"a.b\",\"data\":{\"big\":" + "9".repeat(100) + "}}"),
                batch("{\"type\":\"a.b\",\"data\":{\"big\":0." + long101 + "}}"),
                batch("{\"type\":" + long101 + ",\"data\":{}}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"extra\":" + long101 + "}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"account\":" + long101 + "}"),
                batch(long101), batch("[" + long101 + "]"),
                json("{\"extra\":" + long101 + ",\"events\":[" + ok + "]}"),
                json("{\"events\":" + long101 + "}"),
                batch("{\"type\":\"a.b\",\"data\":" + nested61 + "}"),
                batch("{\"type\":\"a.b\",\"data\":" + nested62 + "}"),
                batch("{\"type\":\"a.b\",\"data\":{},\"extra\":" + nested62 + "}"),
                batch("[".repeat(62) + "]".repeat(62)), batch("[".repeat(61) + "]".repeat(61)),
                json("{\"extra\":" + "[".repeat(63) + "]".repeat(63) + ",\"events\":[" + ok + "]}"),
                new BodyCase("byte order mark", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        ("{\"events\":[" + ok + "]}").getBytes(StandardCharsets.UTF_8))),
                new BodyCase("invalid UTF-8 in data", bytes("{\"events\":[{\"type\":\"a.b\",\"data\":{\"n\":\""
                        .getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC3, '"', '}', '}', ']', '}'})),
                new BodyCase("invalid UTF-8 in a field name", bytes("{\"events\":[{\"type\":\"a.b\",\"data\":{},\""
                        .getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, '"', ':', '1', '}', ']', '}'}))));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void aCustomerBatchReadsAsItsTreeDid(BodyCase c) {
        assertThat(streamed(c.body(), false)).isEqualTo(viaTree(c.body(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void aPlatformBatchReadsAsItsTreeDid(BodyCase c) {
        assertThat(streamed(c.body(), true)).isEqualTo(viaTree(c.body(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void theAnswerIsTheBytesItsTreeWrote(BodyCase c) throws IOException {
        for (boolean platform : new boolean[] {false, true}) {
            List<EventRoutes.BatchItem> items;
            try {
                items = EventRoutes.readBatch(c.body(), platform);
            } catch (HeraldException refusedAsAWhole) {
                continue; // answered by the error renderer, as before
            }
            var outcomes = outcomes(items);

            assertThat(new String(EventRoutes.batchAnswerJson(outcomes).getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8))
                    .isEqualTo(new String(Json.mapper().writeValueAsBytes(treeAnswer(outcomes)),
                            StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRefusalWithAnyTextIsWrittenAsItsTreeWrote() throws IOException {
        var outcomes = new ArrayList<PublishOutcome>();
        for (String text : List.of("plain", "quote\" back\\slash /", "control \u0000\u0001\u001f\n\t\u007f",
                "é and \u2028", "emoji 😀 and lone \ud800 and \udc00", "")) {
            outcomes.add(new PublishOutcome.Refused(HeraldException.of(ErrorCode.INVALID_EVENTS, text)));
            outcomes.add(new PublishOutcome.Refused(HeraldException.field(ErrorCode.ACCOUNT_NOT_FOUND, text, text)));
            outcomes.add(new PublishOutcome.Refused(HeraldException.unknownField(text)));
        }
        outcomes.add(accepted(new EventId("evt_a-b_1"), "order.created", 0));

        assertThat(EventRoutes.batchAnswerJson(outcomes).getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Json.mapper().writeValueAsBytes(treeAnswer(outcomes)));
    }

    @Test
    void eachEventKeepsItsDataAsItCameAndItsPlace() {
        byte[] body = ("{\"events\":[\"x\",{\"type\":\"a.b\",\"data\":{\"s\":\"a b é\",\"t\":[-1,0,true,null,{}]}},"
                + "{\"type\":\"a.b\",\"data\":{ \"f\" : 1.50 }}]}").getBytes(StandardCharsets.UTF_8);

        var items = EventRoutes.readBatch(body, false);

        assertThat(items).hasSize(3);
        assertThat(items.get(0).refusal()).hasValueSatisfying(
                e -> assertThat(e.getMessage()).isEqualTo("each item must be a JSON object"));
        assertThat(items.get(1).event().orElseThrow().data().text()).isEqualTo("{\"s\":\"a b é\",\"t\":[-1,0,true,null,{}]}");
        assertThat(items.get(2).event().orElseThrow().data().text()).isEqualTo("{\"f\":1.5}");
        assertThat(items.get(2).event().orElseThrow().position()).isEqualTo(2);
    }

    /** What the batch route reads from a body, one line per event, or the error refusing the whole body. */
    private static List<String> streamed(byte[] body, boolean platform) {
        try {
            return EventRoutes.readBatch(body, platform).stream()
                    .map(item -> item.event().map(e -> "event " + e.position() + " " + e.type() + " " + e.id() + " "
                                    + e.accountRef() + " " + e.asKey() + " " + e.data())
                            .orElseGet(() -> refused(item.refusal().orElseThrow())))
                    .toList();
        } catch (HeraldException e) {
            return List.of("body " + refused(e));
        }
    }

    /** The batch route as it was: the body read as a tree, each event as a tree, its data written from its tree. */
    private static List<String> viaTree(byte[] bytes, boolean platform) {
        try {
            EventService.checkBatchBytes(bytes.length);
            var items = RequestBody.parse(bytes, Set.of("events"), false).requiredArray("events");
            EventService.checkBatchEvents(items.size());
            var lines = new ArrayList<String>();
            for (int i = 0; i < items.size(); i++) {
                try {
                    var item = RequestBody.of(items.get(i), platform ? PLATFORM_FIELDS : FIELDS);
                    String type = item.requiredString("type");
                    ObjectNode data = item.optionalObject("data").orElseThrow(() -> HeraldException.missing("data"));
                    Optional<EventId> id = item.optionalString("id").map(EventRoutes::eventId);
                    Optional<String> account = platform ? Optional.of(EventRoutes.accountRef(item)) : Optional.empty();
                    var asKey = platform ? EventRoutes.asKey(item) : Optional.empty();
                    lines.add("event " + i + " " + type + " " + id + " " + account + " " + asKey + " "
                            + WirePayload.compact(data));
                } catch (HeraldException refused) {
                    lines.add(refused(refused));
                }
            }
            return lines;
        } catch (HeraldException e) {
            return List.of("body " + refused(e));
        }
    }

    private static String refused(HeraldException e) {
        return "refused " + e.code() + " " + e.reason() + " " + e.field() + " " + e.getMessage();
    }

    /** Each read event accepted (with a receipt of its type), each refused one answered with its error. */
    private static List<PublishOutcome> outcomes(List<EventRoutes.BatchItem> items) {
        var outcomes = new ArrayList<PublishOutcome>();
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            if (item.event().isPresent()) {
                var event = item.event().get();
                outcomes.add(accepted(event.id().orElse(new EventId("evt_" + i)), event.type(), i));
            } else {
                outcomes.add(new PublishOutcome.Refused(item.refusal().orElseThrow()));
            }
        }
        return outcomes;
    }

    private static PublishOutcome accepted(EventId id, String type, int deliveries) {
        var event = new Event(id, new AccountId(7), type, Instant.parse("2026-12-06T14:50:01.75Z"), "{}",
                Optional.empty(), Optional.empty());
        return new PublishOutcome.Accepted(new PublishReceipt(event, deliveries, true));
    }

    /** The batch answer as its tree was built. */
    private static JsonNode treeAnswer(List<PublishOutcome> outcomes) {
        var json = Json.object();
        var data = json.putArray("data");
        for (PublishOutcome outcome : outcomes) {
            switch (outcome) {
                case PublishOutcome.Accepted accepted -> data.add(EventRoutes.receipt(accepted.receipt()));
                case PublishOutcome.Refused refused -> {
                    var error = Json.object();
                    var inner = error.putObject("error");
                    inner.put("code", refused.error().code().code());
                    inner.put("message", refused.error().getMessage());
                    refused.error().field().ifPresent(f -> inner.put("field", f));
                    data.add(error);
                }
            }
        }
        return json;
    }

    private static byte[] bytes(byte[] head, byte[] tail) {
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}

package dev.herald.api.http;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.error.Reason;
import dev.herald.delivery.publish.WirePayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static dev.herald.api.http.BodyCase.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A publish body streamed with its {@code data} kept as text reads exactly as its tree did: the same fields, the
 * same compact {@code data} (the bytes every delivery carries), the same error for bad input.
 */
class RequestBodyStreamingTest {
    private static final Set<String> FIELDS = Set.of("type", "data", "id");
    private static final Set<String> PLATFORM_FIELDS = Set.of("type", "data", "id", "account", "api_key_id");

    static List<BodyCase> bodies() {
        String deep = "{\"a\":".repeat(62) + "1" + "}".repeat(62);
        String tooDeep = "{\"a\":".repeat(64) + "1" + "}".repeat(64);
        return List.of(
                json("{\"type\":\"order.created\",\"data\":{\"n\":1,\"filler\":\"xxxx\"}}"),
                json("{ \"type\" : \"order.created\" ,\n\t\"data\" : { \"n\" : 1 , \"a\" : [ 1 , 2 , { } , [ ] ] } }"),
                json("{\"data\":{\"z\":1,\"a\":2,\"m\":{\"y\":true,\"b\":false,\"n\":null}},\"id\":\"evt_1\","
                        + "\"type\":\"a.b\"}"),
                json("{\"type\":\"a.b\",\"data\":{\"f\":[10.0,1.50,1e10,1E-7,-0.0,0.0,-0,0.1,2.5e-3,1e400,"
                        + "-1.0e-400,123456789012345678901234567890.123456789,100,1.000000000000000000001]}}"),
                json("{\"type\":\"a.b\",\"data\":{\"i\":[2147483647,2147483648,-2147483649,9223372036854775807,"
                        + "9223372036854775808,-9223372036854775809,12345678901234567890123,0]}}"),
                json("{\"type\":\"a.b\",\"data\":{\"big\":" + "9".repeat(101) + "}}"),
                json("{\"type\":\"a.b\",\"data\":{\"big\":" + "9".repeat(100) + "}}"),
                json("{\"type\":\"a.b\",\"data\":{\"big\":0." + "9".repeat(101) + "}}"),
                json("{\"type\":\"a.b\",\"data\":{\"u\":\"\\u00e9\\ud83d\\ude00\\ud800 \\u0000\\u001f\\u2028\\/"
                        + "\\\"\\\\\\b\\f\\n\\r\\t\",\"\\u0001k\\n\":\"é😀\"}}"),
                json("{\"type\":\"a.b\",\"data\":{\"z\":-0,\"s\":\"a b\"}}"),
                json("{\"type\":\"a.b\",\"data\":{\"s\":\"a b\",\"t\":[\"x y\",-1,0,-10,{\"e\":\"\"}]}}"),
                json("{\"type\":\"a.b\",\"data\":{\"s\":\"a\\\"b\"}}"),
                json("{\"type\":\"a.b\",\"data\":{\"s\":\"\\u00e9\"}}"),
                json("{\"type\":\"a.b\",\"data\":{\"s\":\"é\"},\"id\":\"evt_x\"}"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":1,}}"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":1}"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":1}} x"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":1}} {}"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":1}}]"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":1}}   \n"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":01}}"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":NaN}}"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":1 /* c */}}"),
                json("{\"type\":\"a.b\",\"data\":{'n':1}}"),
                json("{\"type\":\"a.b\",\"data\":{\"n\":\"" + "x".repeat((1 << 20) + 1) + "\"}}"),
                json("{\"type\":\"a.b\",\"data\":" + deep + "}"),
                json("{\"type\":\"a.b\",\"data\":" + tooDeep + "}"),
                json("[1]"), json("\"text\""), json("123"), json("null"), json(""), json(" \n"), json("{"),
                json("{}"), json("{\"type\":\"a.b\"}"), json("{\"data\":{}}"),
                json("{\"type\":\"a\",\"type\":\"b\",\"data\":{}}"),
                json("{\"type\":\"a.b\",\"data\":{\"k\":1,\"k\":2}}"),
                json("{\"type\":\"a.b\",\"data\":{},\"data\":{}}"),
                json("{\"type\":1,\"data\":{}}"), json("{\"type\":null,\"data\":{}}"),
                json("{\"type\":[\"a\"],\"data\":{}}"),
                json("{\"type\":\"a.b\",\"data\":null}"), json("{\"type\":\"a.b\",\"data\":[]}"),
                json("{\"type\":\"a.b\",\"data\":[{\"a\":1}]}"), json("{\"type\":\"a.b\",\"data\":\"{}\"}"),
                json("{\"type\":\"a.b\",\"data\":5}"), json("{\"type\":\"a.b\",\"data\":true}"),
                json("{\"type\":\"a.b\",\"data\":{},\"id\":5}"), json("{\"type\":\"a.b\",\"data\":{},\"id\":null}"),
                json("{\"type\":\"a.b\",\"data\":{},\"extra\":1}"),
                json("{\"extra\":1,\"type\":\"a.b\",\"data\":{,}}"),
                json("{\"type\":1,\"extra\":{\"x\":[1,2]},\"other\":2,\"data\":{}}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":5}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":\"acme\",\"api_key_id\":3}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":0}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":1.5}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":99999999999999999999}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":true}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":null}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":0}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":\"3\"}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":1.0}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":1e3}"),
                json("{\"type\":\"a.b\",\"data\":{},\"account\":7,\"api_key_id\":" + "9".repeat(30) + "}"),
                new BodyCase("byte order mark", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        "{\"type\":\"a.b\",\"data\":{\"n\":1}}")),
                new BodyCase("invalid UTF-8", bytes("{\"type\":\"a.b\",\"data\":{\"n\":\"".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xC3, '"', '}', '}'})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void aCanonicalPublishReadsAsItsTreeDid(BodyCase c) {
        assertThat(read(c.body(), FIELDS, b -> RequestBody.parseKeepingText(b, FIELDS, "data"), false))
                .isEqualTo(read(c.body(), FIELDS, b -> RequestBody.parse(b, FIELDS, false), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void aPlatformPublishReadsAsItsTreeDid(BodyCase c) {
        assertThat(read(c.body(), PLATFORM_FIELDS, b -> RequestBody.parseKeepingText(b, PLATFORM_FIELDS, "data"),
                false))
                .isEqualTo(read(c.body(), PLATFORM_FIELDS, b -> RequestBody.parse(b, PLATFORM_FIELDS, false), true));
    }

    @Test
    void dataIsTheCompactTextOfItsTree() {
        byte[] body = "{\"type\":\"a.b\",\"data\":{ \"b\" : [ 1.50 , \"\\u00e9\" ] , \"a\" : { } }}"
                .getBytes(StandardCharsets.UTF_8);

        var parsed = RequestBody.parseKeepingText(body, FIELDS, "data");

        assertThat(parsed.optionalObjectJson("data")).contains("{\"b\":[1.5,\"é\"],\"a\":{}}");
        assertThat(parsed.hasValue("data")).isTrue();
        assertThat(parsed.requiredString("type")).isEqualTo("a.b");
    }

    @Test
    void compactDataIsKeptAsItCame() {
        String data = "{\"s\":\"a b é\",\"t\":[-1,0,true,null,{}]}";
        byte[] body = ("{\"type\":\"a.b\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);

        assertThat(RequestBody.parseKeepingText(body, FIELDS, "data").optionalObjectJson("data")).contains(data);
    }

    @Test
    void aDuplicateKeyInsideDataIsMalformed() {
        byte[] body = "{\"type\":\"a.b\",\"data\":{\"k\":1,\"k\":2}}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> RequestBody.parseKeepingText(body, FIELDS, "data"))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BODY);
                    assertThat(e.getMessage()).contains("Duplicate field 'k'");
                });
    }

    /** What a publish route reads from a body, or the error it answers with, as one comparable line. */
    private static String read(byte[] body, Set<String> fields, Function<byte[], RequestBody> parser,
                               boolean viaTree) {
        try {
            RequestBody parsed = parser.apply(body);
            String account = fields.contains("account")
                    ? parsed.optionalValue("account").map(Object::toString).orElse("-") : "";
            String key = fields.contains("api_key_id")
                    ? parsed.optionalLong("api_key_id", 1, Long.MAX_VALUE).toString() : "";
            String type = parsed.requiredString("type");
            String data = viaTree
                    ? parsed.optionalObject("data").map(WirePayload::compact).orElseThrow(
                            () -> HeraldException.missing("data")).text()
                    : parsed.optionalObjectPayload("data").orElseThrow(() -> HeraldException.missing("data")).text();
            Optional<String> id = parsed.optionalString("id");
            return "read " + account + " " + key + " " + type + " " + id + " " + data;
        } catch (HeraldException e) {
            return "refused " + e.code() + " " + e.reason() + " " + e.field() + " " + e.getMessage();
        }
    }

    private static byte[] bytes(byte[] head, String tail) {
        return bytes(head, tail.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(byte[] head, byte[] tail) {
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}

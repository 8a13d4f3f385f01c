package dev.herald.delivery.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The envelope written around the data is byte for byte what Jackson wrote for it as a tree. */
class WirePayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Case(String type, Instant timestamp, String data) {
    }

    static List<Case> cases() {
        return List.of(
                new Case("order.created", Instant.parse("2024-05-01T12:00:00Z"), "{\"n\":1,\"filler\":\"x\"}"),
                new Case("a.b", Instant.parse("2026-12-06T09:05:07.999999999Z"), "{}"),
                new Case("quote\"back\\slash/ctl\u0001\n\t\u007f", Instant.EPOCH, "{\"a\":[1.5,null,true]}"),
                new Case("unicode.é😀\u2028", Instant.parse("1999-12-31T23:59:59.5Z"), "{\"é\":\"😀\"}"),
                new Case("early", Instant.parse("0999-01-02T03:04:05Z"), "{}"),
                new Case("first.year", Instant.parse("1000-01-01T00:00:00Z"), "{}"),
                new Case("last.year", Instant.parse("9999-12-31T23:59:59.9Z"), "{}"),
                new Case("late", Instant.parse("+10000-01-01T00:00:00Z"), "{}"),
                new Case("before.zero", Instant.parse("-0001-06-30T12:00:00Z"), "{}"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theEnvelopeIsWhatItsTreeWrites(Case c) throws Exception {
        EventId id = EventId.generate();
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id.value());
        root.put("type", c.type());
        root.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(c.timestamp().truncatedTo(ChronoUnit.SECONDS)));
        root.set("data", JSON.readTree(c.data()));

        // data given as text (a caller's string), as bytes of its own, and where it lies within a request's body;
        // the envelope's bytes and its text
        byte[] request = ("{\"type\":\"" + c.type() + "\",\"data\":" + c.data() + "}").getBytes(StandardCharsets.UTF_8);
        int start = ("{\"type\":\"" + c.type() + "\",\"data\":").getBytes(StandardCharsets.UTF_8).length;
        for (EncodedPayload data : List.of(EncodedPayload.of(c.data()),
                EncodedPayload.ofUtf8(c.data().getBytes(StandardCharsets.UTF_8)),
                EncodedPayload.ofUtf8(request, start, request.length - start - 1))) {
            EncodedPayload body = WirePayload.of(id, c.type(), c.timestamp(), data, EventFormat.CANONICAL);
            assertThat(body.utf8()).isEqualTo(JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
            assertThat(body.text()).isEqualTo(JSON.writeValueAsString(root));
        }
    }

    /** A tree's data keeps a character outside the BMP as itself, as the text the body was made from did. */
    @Test
    void compactDataKeepsCharactersOutsideTheBmp() throws Exception {
        var data = (ObjectNode) JSON.readTree("{\"e\":\"😀\"}");
        assertThat(WirePayload.compact(data).utf8()).isEqualTo("{\"e\":\"😀\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSvixMessageIsItsDataAlone() {
        EncodedPayload data = EncodedPayload.of("{\"k\":1}");
        assertThat(WirePayload.of(EventId.generate(), "a.b", Instant.EPOCH, data, EventFormat.SVIX)).isSameAs(data);
    }

    @Test
    void theKeptSecondSpellsWhatIsoInstantSpellsWhicheverSecondComesNext() {
        var random = new java.util.Random(3339);
        Instant base = Instant.parse("2026-12-07T10:15:30Z");
        for (int i = 0; i < 5_000; i++) {
            // mostly the same or the next second, sometimes far back or ahead, with and without a fraction
            long seconds = switch (random.nextInt(4)) {
                case 0, 1 -> i / 100;
                case 2 -> i / 100 + 1;
                default -> random.nextInt(1_000_000_000) - 500_000_000;
            };
            Instant instant = base.plusSeconds(seconds).plusNanos(random.nextInt(1_000_000_000));
            assertThat(WirePayload.timestamp(instant)).as("%s", instant)
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS)));
        }
    }
}

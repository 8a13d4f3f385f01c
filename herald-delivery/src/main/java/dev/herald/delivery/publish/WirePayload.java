package dev.herald.delivery.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Builds the body every delivery of an event carries, {@code {"id","type","timestamp","data"}}; it is stored
 * once so every retry sends the same bytes.
 */
public final class WirePayload {
    /** Buffers from a shared pool: Jackson's default pool is per thread and publishes run on new virtual threads. */
    private static final ObjectMapper JSON =
            new ObjectMapper(JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build());
    /** The envelope's fixed parts, around its id, type, timestamp and data. */
    private static final byte[] ID = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TYPE = "\",\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMESTAMP = "\",\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private WirePayload() {
    }

    /**
     * {@code data} as compact JSON text, the form {@link PublishRequest#data()} holds. Written as text: Jackson's
     * byte writer would escape a character outside the BMP as a pair of escaped surrogates, its text writer keeps it.
     */
    public static EncodedPayload compact(ObjectNode data) {
        try {
            return EncodedPayload.of(JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    /** The canonical body around {@code data}, serialised once, with the envelope. */
    public static EncodedPayload of(EventId id, String type, Instant timestamp, ObjectNode data) {
        return of(id, type, timestamp, compact(data), EventFormat.CANONICAL);
    }

    /**
     * The body in {@code format}: the canonical envelope around {@code data} (compact JSON text of an object), or
     * for a Svix message {@code data} itself. The envelope is written byte by byte around {@code data}'s UTF-8
     * bytes (where they lie in the request) into one array of its exact length, not built as a tree or a string: it
     * is exactly what Jackson writes for {@code {"id","type","timestamp","data"}}, and a publish copies its data once,
     * into the body it stores and sends (a string of the body, and its encoding for the store and for the wire, were
     * a tenth of a publish's allocation).
     */
    public static EncodedPayload of(EventId id, String type, Instant timestamp, EncodedPayload data,
                                    EventFormat format) {
        if (format == EventFormat.SVIX) {
            return data;
        }
        byte[] idBytes = utf8(escaped(id.value()));
        byte[] typeBytes = utf8(escaped(type));
        byte[] time = utf8(timestamp(timestamp));
        int length = ID.length + idBytes.length + TYPE.length + typeBytes.length + TIMESTAMP.length + time.length
                + DATA.length + data.utf8Length() + 1;
        var body = new byte[length];
        int at = put(body, 0, ID);
        at = put(body, at, idBytes);
        at = put(body, at, TYPE);
        at = put(body, at, typeBytes);
        at = put(body, at, TIMESTAMP);
        at = put(body, at, time);
        at = put(body, at, DATA);
        at = data.copyUtf8(body, at);
        body[at] = '}';
        return EncodedPayload.ofUtf8(body);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int put(byte[] into, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
    }

    /**
     * {@code text} escaped as Jackson's generator escapes a string's content, without the quotes; most need no
     * escaping at all and are returned as they are.
     */
    public static String escaped(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return new String(JsonStringEncoder.getInstance().quoteAsString(text));
            }
        }
        return text;
    }

    /** The second {@link #timestamp} spelled last, and its text: publishes come many to a second. */
    private record Second(long epochSecond, String text) {
    }

    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    /**
     * RFC 3339 in UTC with whole seconds, e.g. {@code 2024-05-01T12:00:00Z}. The text of the last second asked for
     * is kept and given again while the second lasts (each publish spells its time twice, in its envelope and its
     * answer; a builder and a string each time).
     */
    public static String timestamp(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        Second last = lastSecond;
        if (last.epochSecond() == epochSecond) {
            return last.text();
        }
        String text = spelled(instant);
        if (epochSecond > last.epochSecond()) {
            // only a later second replaces it: a listing's older times, each its own, leave the publishes' one kept
            lastSecond = new Second(epochSecond, text);
        }
        return text;
    }

    private static String spelled(Instant instant) {
        Instant seconds = instant.truncatedTo(ChronoUnit.SECONDS);
        LocalDateTime utc = LocalDateTime.ofEpochSecond(seconds.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = utc.getYear();
        if (year < 1000 || year > 9999) {
            // ISO_INSTANT's own spelling of such years (sign, padding) is left to it.
            return DateTimeFormatter.ISO_INSTANT.format(seconds);
        }
        var text = new StringBuilder(20).append(year).append('-');
        twoDigits(text, utc.getMonthValue()).append('-');
        twoDigits(text, utc.getDayOfMonth()).append('T');
        twoDigits(text, utc.getHour()).append(':');
        twoDigits(text, utc.getMinute()).append(':');
        return twoDigits(text, utc.getSecond()).append('Z').toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}

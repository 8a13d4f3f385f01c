package dev.herald.delivery.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;

import java.time.Instant;
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

    private WirePayload() {
    }

    /**
     * The body as compact JSON; {@code data} is taken as the caller parsed it (for a publish, the request's own
     * tree), so it is serialised once, with the envelope, and never parsed again.
     */
    public static String of(EventId id, String type, Instant timestamp, ObjectNode data) {
        return of(id, type, timestamp, data, EventFormat.CANONICAL);
    }

    /**
     * The body in {@code format}: the canonical envelope around {@code data}, or for a Svix message {@code data}
     * itself (its payload, as given, compact).
     */
    public static String of(EventId id, String type, Instant timestamp, ObjectNode data, EventFormat format) {
        if (format == EventFormat.SVIX) {
            try {
                return JSON.writeValueAsString(data);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a parsed JSON tree always serialises", e);
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id.value());
        root.put("type", type);
        root.put("timestamp", timestamp(timestamp));
        root.set("data", data);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }

    /** RFC 3339 in UTC with whole seconds, e.g. {@code 2024-05-01T12:00:00Z}. */
    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}

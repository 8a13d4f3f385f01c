package dev.herald.delivery.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EventId;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Builds the body every delivery of an event carries, {@code {"id","type","timestamp","data"}}; it is stored
 * once so every retry sends the same bytes.
 */
public final class WirePayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WirePayload() {
    }

    /** @throws HeraldException {@code invalid_request} when {@code dataJson} is not a JSON object */
    public static String of(EventId id, String type, Instant timestamp, String dataJson) {
        JsonNode data;
        try {
            data = JSON.readTree(dataJson);
        } catch (JsonProcessingException e) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "data", "data must be valid JSON");
        }
        if (data == null || !data.isObject()) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "data", "data must be a JSON object");
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

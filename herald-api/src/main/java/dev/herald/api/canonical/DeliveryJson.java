package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Json;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.WebhookId;

import java.util.List;
import java.util.Optional;

/**
 * The canonical delivery and attempt objects. A delivery: {@code id, event_id, event_type, webhook_id, status,
 * attempt_count, next_attempt_at, created_at, updated_at}, and {@code sequence} for a FIFO webhook's; with its log,
 * {@code attempts} lists each try.
 */
final class DeliveryJson {
    private DeliveryJson() {
    }

    /** {@code webhook} is empty when the endpoint was deleted since. */
    static ObjectNode delivery(Delivery delivery, Optional<WebhookId> webhook) {
        var json = Json.object();
        json.put("id", delivery.id().value());
        json.put("event_id", delivery.eventId().value());
        json.put("event_type", delivery.eventType());
        if (webhook.isPresent()) {
            json.put("webhook_id", webhook.get().value());
        } else {
            json.putNull("webhook_id");
        }
        json.put("status", delivery.state().wireName());
        json.put("attempt_count", delivery.attempts());
        delivery.sequence().ifPresent(n -> json.put("sequence", n));
        WebhookJson.putTime(json, "next_attempt_at", delivery.nextAttemptAt());
        json.put("created_at", ApiTime.seconds(delivery.createdAt()));
        json.put("updated_at", ApiTime.seconds(delivery.updatedAt()));
        return json;
    }

    static ObjectNode withAttempts(Delivery delivery, Optional<WebhookId> webhook, List<Attempt> attempts) {
        ObjectNode json = delivery(delivery, webhook);
        var log = json.putArray("attempts");
        attempts.forEach(a -> log.add(attempt(a)));
        return json;
    }

    static ObjectNode attempt(Attempt attempt) {
        var json = Json.object();
        json.put("number", attempt.number());
        json.put("attempted_at", ApiTime.millis(attempt.attemptedAt()));
        json.put("duration_ms", attempt.durationMillis());
        if (attempt.responseStatus().isPresent()) {
            json.put("response_status", attempt.responseStatus().getAsInt());
        } else {
            json.putNull("response_status");
        }
        String body = attempt.responseBody();
        // The store keeps at most 4 KiB already; cut again so an older row can never make a response huge.
        json.put("response_body", body.length() > Attempt.MAX_BODY_CHARS ? body.substring(0, Attempt.MAX_BODY_CHARS) : body);
        json.put("success", attempt.succeeded());
        if (attempt.errorClass().isPresent()) {
            json.put("error_class", attempt.errorClass().get().wireName());
        } else {
            json.putNull("error_class");
        }
        if (attempt.errorMessage().isPresent()) {
            json.put("error_message", attempt.errorMessage().get());
        } else {
            json.putNull("error_message");
        }
        return json;
    }
}

package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Json;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStats;

import java.time.Instant;
import java.util.Optional;

/**
 * The canonical webhook object (seed 003): {@code id, url, events, description, status, created_at,
 * updated_at}, plus {@code api_key_id} when the webhook is scoped to a key, {@code rate_limit},
 * {@code headers}, the destination's {@code type} and {@code config} (credentials redacted), its own
 * {@code retry_schedule} (seconds; null for the configured one), its {@code circuit} and its {@code ordering}. The secret is never part of
 * it; create and rotate add it to their own responses.
 */
final class WebhookJson {
    private WebhookJson() {
    }

    static ObjectNode webhook(Endpoint endpoint) {
        var json = Json.object();
        json.put("id", endpoint.publicId().value());
        json.put("url", endpoint.url());
        json.put("type", endpoint.type().wireName());
        // Credentials are never shown: the broker address carries *** in their place.
        json.set("config", Json.mapper().valueToTree(endpoint.destination().shownConfig()));
        var events = json.putArray("events");
        endpoint.eventTypes().forEach(events::add);
        putOptional(json, "description", endpoint.description());
        json.put("status", endpoint.status().wireName());
        endpoint.scopeKey().ifPresent(key -> json.put("api_key_id", key.value()));
        if (endpoint.rateLimit().isPresent()) {
            json.put("rate_limit", endpoint.rateLimit().getAsInt());
        } else {
            json.putNull("rate_limit");
        }
        var headers = json.putObject("headers");
        endpoint.headers().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(h -> headers.put(h.getKey(), h.getValue()));
        json.put("created_at", ApiTime.seconds(endpoint.createdAt()));
        json.put("updated_at", ApiTime.seconds(endpoint.updatedAt()));
        if (endpoint.retrySchedule().isPresent()) {
            var delays = json.putArray("retry_schedule");
            endpoint.retrySchedule().get().forEach(d -> delays.add(d.toSeconds()));
        } else {
            json.putNull("retry_schedule");
        }
        json.put("circuit", endpoint.circuit().wireName());
        json.put("ordering", endpoint.ordering().wireName());
        return json;
    }

    /** The single-webhook view: the object plus {@code stats}, {@code last_error} and the {@code held} count. */
    static ObjectNode withStats(Endpoint endpoint, long held) {
        ObjectNode json = webhook(endpoint);
        json.put("held", held);
        EndpointStats stats = endpoint.stats();
        var node = json.putObject("stats");
        node.put("total_sent", stats.totalAttempts());
        node.put("successful", stats.successful());
        node.put("failed", stats.failed());
        putTime(node, "last_success", stats.lastSuccessAt());
        putTime(node, "last_failure", stats.lastFailureAt());
        putOptional(json, "last_error", stats.lastError());
        return json;
    }

    private static void putOptional(ObjectNode json, String field, Optional<String> value) {
        if (value.isPresent()) {
            json.put(field, value.get());
        } else {
            json.putNull(field);
        }
    }

    static void putTime(ObjectNode json, String field, Optional<Instant> value) {
        if (value.isPresent()) {
            json.put(field, ApiTime.seconds(value.get()));
        } else {
            json.putNull(field);
        }
    }
}

package dev.herald.api.apimall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Json;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.signing.SigningSecret;

/** An endpoint as API Mall shows it: integer ids, snake_case, millisecond timestamps. */
final class ApiMallWebhookJson {
    private ApiMallWebhookJson() {
    }

    /**
     * The create response (seed 000): the only one that carries the secret, as {@code secret} (DESIGN §8: every
     * create response does) and as {@code secret_key}, the name API Mall clients sent it under.
     */
    static ObjectNode created(Endpoint endpoint, SigningSecret secret) {
        var json = identity(endpoint);
        timestamps(json, endpoint);
        json.put("secret", secret.value());
        json.put("secret_key", secret.value());
        return json;
    }

    /** A list item or single webhook (seed 001), with its attempt counters. */
    static ObjectNode item(Endpoint endpoint) {
        var json = identity(endpoint);
        EndpointStats stats = endpoint.stats();
        // seed 001 names them deliveries; DESIGN §8 counts attempts: total_sent the successful, total_failed the failed
        json.put("total_sent", stats.successful());
        json.put("total_failed", stats.failed());
        if (stats.lastAttemptAt().isPresent()) {
            json.put("last_sent_at", ApiTime.millis(stats.lastAttemptAt().get()));
        } else {
            json.putNull("last_sent_at");
        }
        if (stats.lastError().isPresent()) {
            json.put("last_error", stats.lastError().get());
        } else {
            json.putNull("last_error");
        }
        timestamps(json, endpoint);
        return json;
    }

    static ObjectNode deleted(EndpointId id) {
        var json = Json.object();
        json.put("id", id.value());
        json.put("deleted", true);
        return json;
    }

    /** The fields every shape starts with, in the seeds' order. */
    private static ObjectNode identity(Endpoint endpoint) {
        var json = Json.object();
        json.put("id", endpoint.id().value());
        json.put("url", endpoint.url());
        var events = json.putArray("events");
        endpoint.eventTypes().forEach(events::add);
        json.put("status", endpoint.status().wireName());
        json.put("api_key_id", endpoint.shownApiKeyId().value());
        return json;
    }

    private static void timestamps(ObjectNode json, Endpoint endpoint) {
        json.put("created_at", ApiTime.millis(endpoint.createdAt()));
        json.put("updated_at", ApiTime.millis(endpoint.updatedAt()));
    }
}

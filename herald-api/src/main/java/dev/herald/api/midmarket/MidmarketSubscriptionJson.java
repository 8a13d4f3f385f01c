package dev.herald.api.midmarket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Json;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.signing.SigningSecret;

import java.util.UUID;

/** An endpoint as Midmarket shows a subscription (seed 004): UUIDs, camelCase, whole-second timestamps. */
final class MidmarketSubscriptionJson {
    private MidmarketSubscriptionJson() {
    }

    /** The create response: the only one carrying the one-time {@code secret}. */
    static ObjectNode created(Endpoint endpoint, UUID workspace, SigningSecret secret) {
        var json = fields(endpoint, workspace);
        json.put("secret", secret.value());
        description(json, endpoint);
        return json;
    }

    static ObjectNode subscription(Endpoint endpoint, UUID workspace) {
        var json = fields(endpoint, workspace);
        description(json, endpoint);
        return json;
    }

    private static ObjectNode fields(Endpoint endpoint, UUID workspace) {
        var json = Json.object();
        json.put("id", endpoint.uuid().toString());
        json.put("workspaceId", workspace.toString());
        json.put("endpointUrl", endpoint.url());
        var types = json.putArray("eventTypes");
        endpoint.eventTypes().forEach(types::add);
        json.put("enabled", endpoint.status().enabled());
        json.put("createdAt", ApiTime.seconds(endpoint.createdAt()));
        json.put("updatedAt", ApiTime.seconds(endpoint.updatedAt()));
        return json;
    }

    private static void description(ObjectNode json, Endpoint endpoint) {
        if (endpoint.description().isPresent()) {
            json.put("description", endpoint.description().get());
        } else {
            json.putNull("description");
        }
    }
}

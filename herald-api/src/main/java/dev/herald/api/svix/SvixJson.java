package dev.herald.api.svix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Json;
import dev.herald.core.account.Account;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.PlatformEventType;
import dev.herald.service.svix.SvixIds;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Herald's rows in Svix's JSON shapes: camelCase, RFC 3339 times, Svix's id prefixes. */
final class SvixJson {
    /** Svix's attempt statuses. */
    static final int SUCCESS = 0;
    static final int FAIL = 2;
    static final int TRIGGER_SCHEDULED = 0;
    static final int TRIGGER_MANUAL = 1;

    private SvixJson() {
    }

    static ObjectNode application(Account account) {
        var json = Json.object();
        json.put("id", SvixIds.application(account));
        json.put("name", account.name());
        putOptional(json, "uid", account.uid());
        putMap(json, "metadata", account.metadata());
        json.putNull("rateLimit");
        json.putNull("throttleRate");
        json.put("createdAt", ApiTime.millis(account.createdAt()));
        // Herald keeps no change time for an account; its creation is the last time Herald knows of.
        json.put("updatedAt", ApiTime.millis(account.createdAt()));
        return json;
    }

    /**
     * The endpoint: {@code filterTypes} (and its newer name {@code eventTypes}) are absent for an endpoint that takes
     * every type; {@code disabled} is true while it is paused or disabled; {@code rateLimit} and
     * {@code throttleRate} are its deliveries per second; {@code ordering} (Herald's) is {@code fifo} or
     * {@code unordered}.
     */
    static ObjectNode endpoint(Endpoint endpoint) {
        var json = Json.object();
        json.put("id", SvixIds.endpoint(endpoint));
        json.put("url", endpoint.url());
        json.put("description", endpoint.description().orElse(""));
        if (!endpoint.eventTypes().contains(Endpoint.ALL_EVENTS)) {
            putList(json, "filterTypes", endpoint.eventTypes());
            putList(json, "eventTypes", endpoint.eventTypes());
        }
        if (!endpoint.profile().channels().isEmpty()) {
            putList(json, "channels", endpoint.profile().channels());
        }
        json.put("disabled", isDisabled(endpoint));
        putOptional(json, "uid", endpoint.profile().uid());
        putMap(json, "metadata", endpoint.profile().metadata());
        if (endpoint.rateLimit().isPresent()) {
            json.put("rateLimit", endpoint.rateLimit().getAsInt());
            json.put("throttleRate", endpoint.rateLimit().getAsInt());
        } else {
            json.putNull("rateLimit");
            json.putNull("throttleRate");
        }
        json.put("version", endpoint.profile().version());
        json.put("ordering", endpoint.ordering().wireName());
        json.put("createdAt", ApiTime.millis(endpoint.createdAt()));
        json.put("updatedAt", ApiTime.millis(endpoint.updatedAt()));
        return json;
    }

    static boolean isDisabled(Endpoint endpoint) {
        return endpoint.status() == EndpointStatus.DISABLED || endpoint.status() == EndpointStatus.PAUSED;
    }

    /** The message; with {@code withContent} false its payload is {@code {}} (Svix's {@code with_content}). */
    static ObjectNode message(Event event, boolean withContent) {
        var json = Json.object();
        json.put("id", event.id().svixMessageId());
        json.put("eventType", event.type());
        putOptional(json, "eventId", event.uid());
        json.set("payload", withContent ? payload(event) : Json.object());
        if (!event.channels().isEmpty()) {
            putList(json, "channels", event.channels());
        }
        json.put("timestamp", ApiTime.millis(event.timestamp()));
        return json;
    }

    /**
     * The payload as the platform sent it: a Svix message's stored body, a canonical event's {@code data};
     * {@code {}} once retention has purged it.
     */
    static JsonNode payload(Event event) {
        JsonNode stored;
        try {
            stored = Json.mapper().readTree(event.payload());
        } catch (IOException e) {
            return Json.object();
        }
        if (event.format() == EventFormat.SVIX) {
            return stored;
        }
        JsonNode data = stored.path("data");
        return data.isMissingNode() ? Json.object() : data;
    }

    /**
     * An attempt ({@code status} 0 success or 2 fail; {@code triggerType} 0 scheduled, 1 manual: a retry, resend or
     * test send).
     */
    static ObjectNode attempt(Attempt attempt, Event message, Endpoint endpoint) {
        return attempt(attempt, message.id().svixMessageId(), Optional.of(endpoint));
    }

    static ObjectNode attempt(Attempt attempt, String messageId, Optional<Endpoint> endpoint) {
        var json = Json.object();
        json.put("id", SvixIds.attempt(attempt.id()));
        json.put("msgId", messageId);
        if (endpoint.isPresent()) {
            json.put("endpointId", SvixIds.endpoint(endpoint.get()));
            json.put("url", endpoint.get().url());
        } else {
            json.putNull("endpointId");
            json.putNull("url");
        }
        json.put("status", attempt.succeeded() ? SUCCESS : FAIL);
        json.put("statusText", attempt.succeeded() ? "success" : "fail");
        json.put("responseStatusCode", attempt.responseStatus().orElse(0));
        json.put("response", attempt.responseBody());
        json.put("responseDurationMs", attempt.durationMillis());
        json.put("timestamp", ApiTime.millis(attempt.attemptedAt()));
        json.put("triggerType", attempt.manual() ? TRIGGER_MANUAL : TRIGGER_SCHEDULED);
        return json;
    }

    static ObjectNode eventType(PlatformEventType type) {
        var json = Json.object();
        json.put("name", type.name());
        json.put("description", type.description());
        json.put("archived", type.archived());
        json.put("deprecated", type.deprecated());
        if (type.schemas().isPresent()) {
            try {
                json.set("schemas", Json.mapper().readTree(type.schemas().get()));
            } catch (IOException e) {
                json.putNull("schemas");
            }
        } else {
            json.putNull("schemas");
        }
        json.putNull("featureFlag");
        json.putNull("groupName");
        json.put("createdAt", ApiTime.millis(type.createdAt()));
        json.put("updatedAt", ApiTime.millis(type.updatedAt()));
        return json;
    }

    static void putOptional(ObjectNode json, String field, Optional<String> value) {
        if (value.isPresent()) {
            json.put(field, value.get());
        } else {
            json.putNull(field);
        }
    }

    static void putMap(ObjectNode json, String field, Map<String, String> map) {
        var node = json.putObject(field);
        map.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> node.put(e.getKey(), e.getValue()));
    }

    static void putList(ObjectNode json, String field, List<String> values) {
        var node = json.putArray(field);
        values.forEach(node::add);
    }
}

package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.Callers;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.event.EventType;
import dev.herald.service.eventtype.EventTypeService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v1/event-types}: the account's effective catalog (built-in and configured types plus its own),
 * and creating or deleting the account's own types. Built-in and configured types belong to the deployment,
 * not the account: creating one of those names or deleting one is {@code 409 conflict}. Creating an existing
 * own type replaces its description and schema (201 either way). Deleting a type does not touch webhooks
 * subscribed to it; publishing it afterwards is {@code 400 invalid_events}.
 */
public final class EventTypeRoutes implements RouteGroup {
    private static final Set<String> CREATE_FIELDS = Set.of("name", "description", "schema");

    private final EventTypeService eventTypes;
    private final IdempotentRequests idempotency;

    public EventTypeRoutes(EventTypeService eventTypes, IdempotentRequests idempotency) {
        this.eventTypes = eventTypes;
        this.idempotency = idempotency;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/v1/event-types", this::list);
        routes.post("/v1/event-types", idempotency.wrap(this::create));
        routes.delete("/v1/event-types/{name}", this::delete);
    }

    private void list(Context ctx) {
        Json.write(ctx, Listing.all(eventTypes.list(Callers.of(ctx)), EventTypeRoutes::json));
    }

    private void create(Context ctx) {
        var body = RequestBody.parse(ctx, CREATE_FIELDS, false);
        String name = body.requiredString("name");
        Optional<String> description = body.optionalString("description");
        Optional<String> schema = body.optionalObjectJson("schema");
        EventType stored = eventTypes.put(Callers.of(ctx), name, description, schema);
        ctx.status(201);
        Json.write(ctx, json(stored));
    }

    private void delete(Context ctx) {
        eventTypes.delete(Callers.of(ctx), ctx.pathParam("name"));
        ctx.status(204);
    }

    static ObjectNode json(EventType type) {
        var json = Json.object();
        json.put("name", type.name());
        json.put("description", type.description());
        if (type.schema().isPresent()) {
            try {
                json.set("schema", Json.mapper().readTree(type.schema().get()));
            } catch (IOException e) {
                throw new UncheckedIOException("stored schema of " + type.name() + " is not JSON", e);
            }
        }
        return json;
    }
}

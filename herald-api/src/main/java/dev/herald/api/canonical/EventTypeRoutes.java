package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.Caller;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EventType;
import dev.herald.core.event.EventTypeName;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.store.EventTypes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
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
    public static final int MAX_DESCRIPTION = 1000;
    private static final Set<String> CREATE_FIELDS = Set.of("name", "description", "schema");

    private final EventCatalog catalog;
    private final EventTypes types;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    public EventTypeRoutes(EventCatalog catalog, EventTypes types, IdempotentRequests idempotency, Clock clock) {
        this.catalog = catalog;
        this.types = types;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/v1/event-types", this::list);
        routes.post("/v1/event-types", idempotency.wrap(this::create));
        routes.delete("/v1/event-types/{name}", this::delete);
    }

    private void list(Context ctx) {
        Json.write(ctx, Listing.all(catalog.list(Caller.of(ctx).account()), EventTypeRoutes::json));
    }

    private void create(Context ctx) {
        var body = RequestBody.parse(ctx, CREATE_FIELDS, false);
        String name = body.requiredString("name");
        if (!EventTypeName.isValid(name)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name",
                    "name must be dotted lowercase words such as order.created (at most 128 characters)");
        }
        String description = body.optionalString("description").orElse("");
        if (description.length() > MAX_DESCRIPTION) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "description",
                    "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        Optional<String> schema = body.optionalObjectJson("schema");
        if (catalog.isBuiltIn(name)) {
            throw builtIn(name);
        }
        EventType stored = types.put(Caller.of(ctx).account(), new EventType(name, description, schema), clock.instant());
        ctx.status(201);
        Json.write(ctx, json(stored));
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        if (catalog.isBuiltIn(name)) {
            throw builtIn(name);
        }
        if (!EventTypeName.isValid(name) || !types.delete(Caller.of(ctx).account(), name)) {
            throw HeraldException.of(ErrorCode.EVENT_TYPE_NOT_FOUND, "Event type not found");
        }
        ctx.status(204);
    }

    private static HeraldException builtIn(String name) {
        return HeraldException.field(ErrorCode.CONFLICT, "name",
                "event type '" + name + "' is built in or configured for every account and cannot be changed");
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

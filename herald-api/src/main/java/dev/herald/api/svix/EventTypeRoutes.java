package dev.herald.api.svix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.PlatformEventType;
import dev.herald.service.svix.SvixService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/event-type}: the platform's event-type catalog, shared by every application (and so by every
 * account's catalog on the other surfaces). Create, list ({@code include_archived}), get, replace (PUT, creating
 * it when new), patch, and delete (archives; {@code ?expunge=true} removes it).
 */
final class EventTypeRoutes implements RouteGroup {
    static final String BASE = "/api/v1/event-type";
    private static final Set<String> FIELDS = Set.of("name", "description", "schemas", "archived", "deprecated",
            "featureFlag", "featureFlags", "groupName");

    private final SvixService svix;
    private final IdempotentRequests idempotency;

    EventTypeRoutes(SvixService svix, IdempotentRequests idempotency) {
        this.svix = svix;
        this.idempotency = idempotency;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(BASE, this::list);
        routes.post(BASE, idempotency.wrap(this::create));
        routes.get(BASE + "/{event_type_name}", ctx -> Json.write(ctx, SvixJson.eventType(svix.eventType(name(ctx)))));
        routes.put(BASE + "/{event_type_name}", this::replace);
        routes.patch(BASE + "/{event_type_name}", this::patch);
        routes.delete(BASE + "/{event_type_name}", this::delete);
    }

    private void list(Context ctx) {
        boolean withArchived = Boolean.parseBoolean(ctx.queryParam("include_archived"));
        Json.write(ctx, SvixPaging.page(SvixPaging.ordered(svix.eventTypes(withArchived), ctx), ctx,
                PlatformEventType::name, SvixJson::eventType));
    }

    private void create(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, false);
        refuseFeatureFlags(body);
        PlatformEventType created = svix.createEventType(body.requiredString("name"),
                body.optionalString("description").orElse(""), schemas(body),
                body.optionalBoolean("archived").orElse(false), body.optionalBoolean("deprecated").orElse(false));
        ctx.status(201);
        Json.write(ctx, SvixJson.eventType(created));
    }

    /** PUT replaces description, schemas and flags; a new name is created (201). */
    private void replace(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, false);
        refuseFeatureFlags(body);
        String name = name(ctx);
        String description = body.optionalString("description").orElse("");
        boolean archived = body.optionalBoolean("archived").orElse(false);
        boolean deprecated = body.optionalBoolean("deprecated").orElse(false);
        boolean exists = svix.eventTypes(true).stream().anyMatch(t -> t.name().equals(name));
        if (!exists) {
            ctx.status(201);
            Json.write(ctx, SvixJson.eventType(svix.createEventType(name, description, schemas(body), archived,
                    deprecated)));
            return;
        }
        Json.write(ctx, SvixJson.eventType(svix.updateEventType(name, Optional.of(description),
                Optional.of(schemas(body)), Optional.of(archived), Optional.of(deprecated))));
    }

    private void patch(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, true);
        refuseFeatureFlags(body);
        Json.write(ctx, SvixJson.eventType(svix.updateEventType(name(ctx), body.optionalString("description"),
                body.has("schemas") ? Optional.of(schemas(body)) : Optional.empty(),
                body.optionalBoolean("archived"), body.optionalBoolean("deprecated"))));
    }

    private void delete(Context ctx) {
        svix.deleteEventType(name(ctx), Boolean.parseBoolean(ctx.queryParam("expunge")));
        ctx.status(204);
    }

    /** The JSON Schemas by version, kept as JSON text. */
    private static Optional<String> schemas(RequestBody body) {
        JsonNode schemas = body.node().get("schemas");
        if (schemas == null || schemas.isNull()) {
            return Optional.empty();
        }
        if (!schemas.isObject()) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "schemas", "schemas must be an object");
        }
        return Optional.of(Json.text(schemas));
    }

    private static void refuseFeatureFlags(RequestBody body) {
        for (String field : Set.of("featureFlag", "featureFlags", "groupName")) {
            if (body.hasValue(field)) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, field, field + " is not supported");
            }
        }
    }

    private static String name(Context ctx) {
        return ctx.pathParam("event_type_name");
    }
}

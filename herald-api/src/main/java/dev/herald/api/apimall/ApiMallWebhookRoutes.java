package dev.herald.api.apimall;

import dev.herald.api.http.Callers;
import dev.herald.api.http.Json;
import dev.herald.api.http.ListWindow;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.account.Caller;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.service.endpoint.CreateEndpoint;
import dev.herald.service.endpoint.EndpointPatch;
import dev.herald.service.endpoint.EndpointRef;
import dev.herald.service.endpoint.EndpointService;
import dev.herald.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * API Mall's webhooks (seeds 000, 001) at {@code /api/v1/webhooks}: create (answers 200, as the seed shows),
 * list (all of the account's webhooks, newest first, with delivery counters), get, update and delete by integer
 * id, all in the {@code {"success":…,"data":…,"request_id":…}} envelope. Create honours {@code Idempotency-Key}.
 * Only translates; the rules are {@link EndpointService}'s.
 */
public final class ApiMallWebhookRoutes implements RouteGroup {
    /** Idempotency-Key namespace of this surface. */
    public static final String IDEMPOTENCY_SCOPE = "api_mall";
    static final String BASE = "/api/v1/webhooks";
    private static final Set<String> CREATE_FIELDS = Set.of("url", "events", "secret_key", "api_key_id");
    private static final Set<String> UPDATE_FIELDS = Set.of("url", "events", "status");

    private final EndpointService endpoints;
    private final IdempotentRequests idempotency;

    /** {@code idempotency} should be scoped to this surface ({@code api_mall}). */
    public ApiMallWebhookRoutes(EndpointService endpoints, IdempotentRequests idempotency) {
        this.endpoints = endpoints;
        this.idempotency = idempotency;
    }

    /** The routes with create's {@code Idempotency-Key} records kept under this surface's own scope. */
    public static ApiMallWebhookRoutes create(Store store, EndpointService endpoints, Clock clock) {
        return new ApiMallWebhookRoutes(endpoints, IdempotentRequests.create(store.idempotency(), IDEMPOTENCY_SCOPE,
                IdempotentRequests.DEFAULT_RETENTION, clock));
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(BASE, idempotency.wrap(this::create));
        routes.get(BASE, this::list);
        routes.get(BASE + "/{id}", this::get);
        routes.patch(BASE + "/{id}", this::update);
        routes.delete(BASE + "/{id}", this::delete);
    }

    private void create(Context ctx) {
        var body = RequestBody.parse(ctx, CREATE_FIELDS, false);
        var request = new CreateEndpoint(body.requiredString("url"), body.requiredStringList("events"),
                Optional.empty(), body.optionalString("secret_key"),
                body.optionalLong("api_key_id", Long.MIN_VALUE, Long.MAX_VALUE), OptionalInt.empty(), Map.of());
        var created = endpoints.create(Callers.of(ctx), request);
        ApiMallEnvelope.success(ctx, ApiMallWebhookJson.created(created.endpoint(), created.secret()));
    }

    private void list(Context ctx) {
        Caller caller = Callers.of(ctx);
        ListWindow window = ListWindow.pages(ctx, "page", "per_page");
        var data = Json.array();
        // the seed's list is one array, not a page; page/per_page choose a part of it
        endpoints.forEach(caller, window.over(e -> data.add(ApiMallWebhookJson.item(e))));
        ApiMallEnvelope.success(ctx, data);
    }

    private void get(Context ctx) {
        Endpoint endpoint = endpoints.get(Callers.of(ctx), pathId(ctx));
        ApiMallEnvelope.success(ctx, ApiMallWebhookJson.item(endpoint));
    }

    private void update(Context ctx) {
        // an update needs a JSON object, as on the canonical surface; {} changes nothing and answers the webhook
        var body = RequestBody.parse(ctx, UPDATE_FIELDS, false);
        var patch = EndpointPatch.NONE;
        // a field given as null is an error, as on the canonical surface: none of these can be cleared
        if (body.has("url")) {
            patch = patch.withUrl(body.requiredString("url"));
        }
        if (body.has("events")) {
            patch = patch.withEvents(body.requiredStringList("events"));
        }
        if (body.has("status")) {
            String status = body.requiredString("status");
            patch = patch.withStatus(EndpointStatus.fromWire(status).orElseThrow(() -> HeraldException.field(
                    ErrorCode.INVALID_REQUEST, "status", "status must be active, paused or disabled")));
        }
        Endpoint updated = endpoints.update(Callers.of(ctx), pathId(ctx), patch);
        ApiMallEnvelope.success(ctx, ApiMallWebhookJson.item(updated));
    }

    private void delete(Context ctx) {
        EndpointRef.Numeric ref = pathId(ctx);
        endpoints.delete(Callers.of(ctx), ref);
        ApiMallEnvelope.success(ctx, ApiMallWebhookJson.deleted(ref.id()));
    }

    /** The integer path id; anything else names no webhook. */
    private static EndpointRef.Numeric pathId(Context ctx) {
        return EndpointRef.numeric(ctx.pathParam("id"))
                .map(EndpointRef.Numeric.class::cast)
                .orElseThrow(EndpointService::notFound);
    }
}

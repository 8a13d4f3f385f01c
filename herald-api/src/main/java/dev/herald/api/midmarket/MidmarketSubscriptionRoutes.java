package dev.herald.api.midmarket;

import dev.herald.api.http.Callers;
import dev.herald.api.http.Json;
import dev.herald.api.http.ListWindow;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.account.Caller;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.service.Services;
import dev.herald.service.account.AccountService;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Midmarket's webhook subscriptions (seed 004) at {@code /api/integrations/webhooks/subscriptions}, addressed
 * by UUID, camelCase, scoped to the key's workspace (= account):
 * <ul>
 *   <li>{@code POST} → 200 with the subscription and its one-time {@code secret} (honours
 *       {@code Idempotency-Key});</li>
 *   <li>{@code GET} → 200 with a bare JSON array of all the workspace's subscriptions, newest first (what a
 *       FastAPI {@code list[Subscription]} response model returns; no envelope, no paging);</li>
 *   <li>{@code GET /{id}}, {@code PATCH /{id}} ({@code endpointUrl}, {@code eventTypes}, {@code description},
 *       {@code enabled}) → 200 with the subscription;</li>
 *   <li>{@code DELETE /{id}} → 204 without a body.</li>
 * </ul>
 * Only translates; the rules are {@link EndpointService}'s.
 */
public final class MidmarketSubscriptionRoutes implements RouteGroup {
    /** Idempotency-Key namespace of this surface. */
    public static final String IDEMPOTENCY_SCOPE = "midmarket";
    static final String BASE = "/api/integrations/webhooks/subscriptions";
    private static final Set<String> CREATE_FIELDS = Set.of("endpointUrl", "eventTypes", "description");
    private static final Set<String> UPDATE_FIELDS = Set.of("endpointUrl", "eventTypes", "description", "enabled");

    private final EndpointService endpoints;
    private final AccountService accounts;
    private final IdempotentRequests idempotency;

    /** {@code idempotency} should be scoped to this surface ({@code midmarket}). */
    public MidmarketSubscriptionRoutes(EndpointService endpoints, AccountService accounts,
                                       IdempotentRequests idempotency) {
        this.endpoints = endpoints;
        this.accounts = accounts;
        this.idempotency = idempotency;
    }

    /** The routes with create's {@code Idempotency-Key} records kept under this surface's own scope. */
    public static MidmarketSubscriptionRoutes create(Store store, Services services, Clock clock) {
        return new MidmarketSubscriptionRoutes(services.endpoints(), services.accounts(), IdempotentRequests.create(
                store.idempotency(), IDEMPOTENCY_SCOPE, IdempotentRequests.DEFAULT_RETENTION, clock));
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
        var request = new CreateEndpoint(body.requiredString("endpointUrl"), body.requiredStringList("eventTypes"),
                body.optionalString("description"), Optional.empty(), OptionalLong.empty(), OptionalInt.empty(),
                Map.of());
        Caller caller = Callers.of(ctx);
        var created = endpoints.create(caller, request);
        Json.write(ctx, MidmarketSubscriptionJson.created(created.endpoint(), workspace(caller), created.secret()));
    }

    private void list(Context ctx) {
        Caller caller = Callers.of(ctx);
        UUID workspace = workspace(caller);
        ListWindow window = ListWindow.offsets(ctx, "offset", "limit");
        var data = Json.array();
        // one array, as the API's users expect; offset/limit choose a part of it
        endpoints.forEach(caller, window.over(e -> data.add(MidmarketSubscriptionJson.subscription(e, workspace))));
        Json.write(ctx, data);
    }

    private void get(Context ctx) {
        Caller caller = Callers.of(ctx);
        Endpoint endpoint = endpoints.get(caller, pathId(ctx));
        Json.write(ctx, MidmarketSubscriptionJson.subscription(endpoint, workspace(caller)));
    }

    private void update(Context ctx) {
        Caller caller = Callers.of(ctx);
        EndpointRef ref = pathId(ctx);
        // a missing body is a 422 as FastAPI answers it; {} changes nothing and answers the subscription
        var body = RequestBody.parse(ctx, UPDATE_FIELDS, false);
        var patch = EndpointPatch.NONE;
        // only description can be cleared with null; a null endpointUrl or eventTypes is an error
        if (body.has("endpointUrl")) {
            patch = patch.withUrl(body.requiredString("endpointUrl"));
        }
        if (body.has("eventTypes")) {
            patch = patch.withEvents(body.requiredStringList("eventTypes"));
        }
        if (body.has("description")) {
            patch = patch.withDescription(body.optionalString("description"));
        }
        Optional<Boolean> enabled = body.optionalBoolean("enabled");
        if (enabled.isPresent()) {
            // "enabled" is a view of the status, so only a change of it moves the status: enabling a subscription
            // Herald marked failing keeps it failing, and "disabling" a disabled one does not make it paused
            boolean now = endpoints.get(caller, ref).status().enabled();
            if (enabled.get() != now) {
                patch = patch.withStatus(enabled.get() ? EndpointStatus.ACTIVE : EndpointStatus.PAUSED);
            }
        }
        Endpoint updated = endpoints.update(caller, ref, patch);
        Json.write(ctx, MidmarketSubscriptionJson.subscription(updated, workspace(caller)));
    }

    private void delete(Context ctx) {
        endpoints.delete(Callers.of(ctx), pathId(ctx));
        ctx.status(204);
    }

    /** The UUID path id; anything else names no subscription. */
    private static EndpointRef pathId(Context ctx) {
        return EndpointRef.uuid(ctx.pathParam("id")).orElseThrow(EndpointService::notFound);
    }

    /** Seed 004's workspace is Herald's account; its UUID is the {@code workspaceId}. */
    private UUID workspace(Caller caller) {
        return accounts.account(caller.account()).uuid();
    }
}

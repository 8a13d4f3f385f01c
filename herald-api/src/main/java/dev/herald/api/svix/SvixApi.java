package dev.herald.api.svix;

import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.service.Services;
import dev.herald.store.Store;

import java.time.Clock;
import java.util.List;

/**
 * The route groups of the Svix-compatible surface ({@code /api/v1/…} beside API Mall's webhooks), for the platform
 * (a platform key or the admin token), so the official Svix SDKs work against Herald.
 */
public final class SvixApi {
    /** Idempotency-Key namespace of the Svix surface (the platform's own keys). */
    public static final String IDEMPOTENCY_SCOPE = "svix";

    private SvixApi() {
    }

    public static List<RouteGroup> routeGroups(Store store, Services services, Clock clock) {
        var idempotency = IdempotentRequests.createForPlatform(store.idempotency(), IDEMPOTENCY_SCOPE,
                IdempotentRequests.DEFAULT_RETENTION, clock);
        return List.of(
                routes -> routes.get("/api/v1/health", ctx -> ctx.status(204)),
                new ApplicationRoutes(services.svix(), idempotency),
                EndpointRoutes.application(services.svix(), services.endpoints(), services.deliveries(), idempotency,
                        clock),
                EndpointRoutes.operational(services.svix(), services.operationalWebhooks(), services.endpoints(),
                        services.deliveries(), idempotency, clock),
                new MessageRoutes(services.svix(), store, idempotency),
                new EventTypeRoutes(services.svix(), idempotency),
                new AuthRoutes(services.svix(), services.portalLinks(), idempotency));
    }
}

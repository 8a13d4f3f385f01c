package dev.herald.api.canonical;

import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.service.Services;
import dev.herald.store.Store;

import java.time.Clock;
import java.util.List;

/** The route groups of the canonical surface ({@code /v1/…}), built once here so the app and tests agree. */
public final class CanonicalApi {
    /** Idempotency-Key namespace of the canonical surface. */
    public static final String IDEMPOTENCY_SCOPE = "canonical";

    private CanonicalApi() {
    }

    public static List<RouteGroup> routeGroups(Store store, Services services, Clock clock) {
        var idempotency = IdempotentRequests.create(store.idempotency(), IDEMPOTENCY_SCOPE,
                IdempotentRequests.DEFAULT_RETENTION, clock);
        // Publishing first: a request is matched against its method's routes in this order, and each route before
        // its own whose path is not exactly the request's costs a regular expression match.
        return List.of(
                new EventRoutes(services.events(), idempotency),
                new WebhookRoutes(services.endpoints(), idempotency),
                new EventTypeRoutes(services.eventTypes(), idempotency),
                new DeliveryRoutes(services.deliveries(), idempotency));
    }
}

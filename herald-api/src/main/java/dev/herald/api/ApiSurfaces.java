package dev.herald.api;

import dev.herald.api.apimall.ApiMallErrors;
import dev.herald.api.apimall.ApiMallWebhookRoutes;
import dev.herald.api.canonical.CanonicalApi;
import dev.herald.api.health.HealthRoutes;
import dev.herald.api.http.CanonicalErrors;
import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.http.Surface;
import dev.herald.api.midmarket.MidmarketErrors;
import dev.herald.api.midmarket.MidmarketSubscriptionRoutes;
import dev.herald.api.svix.SvixApi;
import dev.herald.api.svix.SvixErrors;
import dev.herald.service.Services;
import dev.herald.store.Store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Every API surface Herald serves on its key-authenticated and public routes — canonical, API Mall, Midmarket,
 * the Svix-compatible surface and health — with each surface's error shape. The app and the test harness both serve exactly this list.
 */
public final class ApiSurfaces {
    private ApiSurfaces() {
    }

    public static List<RouteGroup> routeGroups(Store store, Services services, BooleanSupplier deliveryRunning,
                                               Clock clock) {
        var groups = new ArrayList<RouteGroup>();
        groups.add(new HealthRoutes(store, deliveryRunning));
        groups.addAll(CanonicalApi.routeGroups(store, services, clock));
        groups.add(ApiMallWebhookRoutes.create(store, services.endpoints(), clock));
        groups.add(MidmarketSubscriptionRoutes.create(store, services, clock));
        groups.addAll(SvixApi.routeGroups(store, services, clock));
        return List.copyOf(groups);
    }

    public static Map<Surface, ErrorRenderer> errorRenderers() {
        var renderers = new EnumMap<Surface, ErrorRenderer>(Surface.class);
        renderers.put(Surface.CANONICAL, new CanonicalErrors());
        renderers.put(Surface.ADMIN, new CanonicalErrors());
        renderers.put(Surface.PUBLIC, new CanonicalErrors());
        renderers.put(Surface.API_MALL, new ApiMallErrors());
        renderers.put(Surface.MIDMARKET, new MidmarketErrors());
        renderers.put(Surface.SVIX, new SvixErrors());
        return Map.copyOf(renderers);
    }
}

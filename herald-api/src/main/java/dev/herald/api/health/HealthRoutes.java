package dev.herald.api.health;

import dev.herald.api.http.Json;
import dev.herald.api.http.RouteGroup;
import dev.herald.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.function.BooleanSupplier;

/**
 * {@code GET /health} (liveness: this process answers; it never touches the store, so a database outage does not
 * make an orchestrator restart every node) and {@code GET /ready} (store reachable and the dispatcher running).
 * No authentication.
 */
public final class HealthRoutes implements RouteGroup {
    private final Store store;
    private final BooleanSupplier dispatcherRunning;

    public HealthRoutes(Store store, BooleanSupplier dispatcherRunning) {
        this.store = store;
        this.dispatcherRunning = dispatcherRunning;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/ready", this::ready);
    }

    private void health(Context ctx) {
        var body = Json.object();
        body.put("status", "ok");
        body.put("store", store.kind());
        Json.write(ctx, body);
    }

    private void ready(Context ctx) {
        boolean storeUp = store.isReachable();
        boolean dispatching = dispatcherRunning.getAsBoolean();
        var body = Json.object();
        body.put("ready", storeUp && dispatching);
        body.put("store_reachable", storeUp);
        body.put("dispatcher_running", dispatching);
        ctx.status(storeUp && dispatching ? 200 : 503);
        Json.write(ctx, body);
    }
}

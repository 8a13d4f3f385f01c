package dev.herald.app.ops;

import dev.herald.api.http.RequestObserver;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.openapi.OpenApiDocument;
import dev.herald.api.openapi.OpenApiRoutes;
import dev.herald.app.config.HeraldConfig;
import dev.herald.store.Store;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Everything an operator needs besides the API itself, started with one call from the composition root:
 * request and queue metrics, the OpenAPI document route and the retention purger.
 */
public final class Operations implements AutoCloseable {
    /** Queue depth is a counting query: at most one per this interval, however often Prometheus scrapes. */
    static final Duration QUEUE_DEPTH_REFRESH = Duration.ofSeconds(5);

    /** Endpoint counts are a grouping query: cached like the queue depth. */
    static final Duration ENDPOINT_COUNT_REFRESH = Duration.ofSeconds(5);

    private final List<RouteGroup> routes;
    private final List<RequestObserver> observers;
    private final RetentionPurger retention;

    private Operations(List<RouteGroup> routes, List<RequestObserver> observers, RetentionPurger retention) {
        this.routes = routes;
        this.observers = observers;
        this.retention = retention;
    }

    public static Operations start(HeraldConfig config, Store store, MeterRegistry meters, Clock clock) {
        QueueDepthGauges.register(store, meters, clock, QUEUE_DEPTH_REFRESH);
        EndpointStatusGauges.register(store, meters, clock, ENDPOINT_COUNT_REFRESH);
        CircuitGauges.register(store, meters, clock, ENDPOINT_COUNT_REFRESH);
        return new Operations(List.of(new OpenApiRoutes(OpenApiDocument.load())),
                List.of(new HttpRequestMetrics(meters), new AccessLog()),
                RetentionPurger.start(store, config.retention(), clock));
    }

    /** Routes to add to the server ({@code /openapi.json}). */
    public List<RouteGroup> routes() {
        return routes;
    }

    /** Observers to give the server (HTTP request metrics, access log). */
    public List<RequestObserver> observers() {
        return observers;
    }

    @Override
    public void close() {
        retention.close();
    }
}

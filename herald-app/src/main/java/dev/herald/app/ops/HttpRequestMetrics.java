package dev.herald.app.ops;

import dev.herald.api.http.RefusedRoute;
import dev.herald.api.http.RequestArrival;
import dev.herald.api.http.RequestObserver;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts API requests as {@code herald_http_requests_total{route,method,status}} and times them, from arrival to
 * answer, as the histogram {@code herald_http_request_duration_seconds{route,method,status}}. The route is the
 * matched path template ({@code /v1/webhooks/{id}}), never the raw path, so ids cannot explode the label set;
 * requests that match no route count as {@code route="unmatched"}, and methods other than the seven Herald knows as
 * {@code method="other"}: every label comes from a closed set, so no client can grow the number of series.
 */
public final class HttpRequestMetrics implements RequestObserver {
    static final String NAME = "herald.http.requests";
    static final String DURATION_NAME = "herald.http.request.duration";
    static final String UNMATCHED = "unmatched";
    /** Methods counted under their own name; any other (a client can send any token) counts as {@code other}. */
    static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    static final String OTHER_METHOD = "other";
    /** Histogram bounds: fine where API answers usually fall, coarse up to the slowest a client would wait. */
    static final Duration[] DURATION_BUCKETS = durations(1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 250, 500,
            1_000, 2_500, 5_000, 10_000);

    private final MeterRegistry registry;
    /** One entry per label combination, so a request does not build and look up its meters each time. */
    private final ConcurrentMap<Series, Meters> meters = new ConcurrentHashMap<>();

    public HttpRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void completed(Context ctx) {
        var series = meters.computeIfAbsent(new Series(route(ctx), method(ctx), ctx.statusCode()), this::register);
        series.requests().increment();
        RequestArrival.elapsedNanos(ctx).ifPresent(nanos -> series.duration().record(nanos, TimeUnit.NANOSECONDS));
    }

    private Meters register(Series series) {
        String status = Integer.toString(series.status());
        var requests = Counter.builder(NAME)
                .description("HTTP API requests by route template, method and status")
                .tags("route", series.route(), "method", series.method(), "status", status)
                .register(registry);
        var duration = Timer.builder(DURATION_NAME)
                .description("HTTP API requests from arrival to answer, by route template, method and status")
                .tags("route", series.route(), "method", series.method(), "status", status)
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry);
        return new Meters(requests, duration);
    }

    private static Duration[] durations(long... millis) {
        var durations = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            durations[i] = Duration.ofMillis(millis[i]);
        }
        return durations;
    }

    private record Series(String route, String method, int status) {
    }

    private record Meters(Counter requests, Timer duration) {
    }

    private static String method(Context ctx) {
        String method = ctx.method().name();
        return KNOWN_METHODS.contains(method) ? method : OTHER_METHOD;
    }

    private static String route(Context ctx) {
        try {
            Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched != null ? matched.path : RefusedRoute.of(ctx).orElse(UNMATCHED);
        } catch (RuntimeException noMatch) {
            // Javalin signals "no endpoint matched" (404/405) this way on some paths.
            return UNMATCHED;
        }
    }
}

package dev.herald.app.ops;

import dev.herald.api.http.RequestObserver;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts API requests as {@code herald_http_requests_total{route,method,status}}. The route is the matched
 * path template ({@code /v1/webhooks/{id}}), never the raw path, so ids cannot explode the label set;
 * requests that match no route count as {@code route="unmatched"}.
 */
public final class HttpRequestMetrics implements RequestObserver {
    static final String NAME = "herald.http.requests";
    static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;

    public HttpRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void completed(Context ctx) {
        Counter.builder(NAME)
                .description("HTTP API requests by route template, method and status")
                .tag("route", route(ctx))
                .tag("method", ctx.method().name())
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(registry)
                .increment();
    }

    private static String route(Context ctx) {
        try {
            Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            return matched == null ? UNMATCHED : matched.path;
        } catch (RuntimeException noMatch) {
            // Javalin signals "no endpoint matched" (404/405) this way on some paths.
            return UNMATCHED;
        }
    }
}

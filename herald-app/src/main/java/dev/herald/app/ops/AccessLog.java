package dev.herald.app.ops;

import dev.herald.api.http.RequestObserver;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * One log line per API request: method, path, status. It runs while the request id is still in the MDC, so
 * the line carries it. Never the query string, headers or body: they may carry keys and secrets.
 */
public final class AccessLog implements RequestObserver {
    private static final Logger log = LoggerFactory.getLogger("dev.herald.http");

    /** Probes and scrapes arrive every few seconds from machines: at INFO they would drown the lines people read. */
    private static final Set<String> MACHINE_PATHS = Set.of("/health", "/ready", "/metrics");

    /**
     * The line is joined here, in one string of its exact length, and only when its level is on: given as a pattern
     * and arguments, it cost an argument array, a boxed status and the formatter's builder and copy per request.
     */
    @Override
    public void completed(Context ctx) {
        String path = ctx.path();
        int status = ctx.statusCode();
        if (MACHINE_PATHS.contains(path) && status < 500) {
            if (log.isDebugEnabled()) {
                log.debug(line(ctx, path, status));
            }
        } else if (log.isInfoEnabled()) {
            log.info(line(ctx, path, status));
        }
    }

    private static String line(Context ctx, String path, int status) {
        return "http: " + ctx.method().name() + " " + path + " " + status;
    }
}

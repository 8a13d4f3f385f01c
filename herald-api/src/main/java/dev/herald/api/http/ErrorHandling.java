package dev.herald.api.http;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import dev.herald.store.StoreUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place exceptions become responses. Expected failures ({@link HeraldException}) are rendered in the
 * surface's dialect; an unreachable store is 503; anything else is logged once with the request id and
 * answered {@code 500 internal} without details.
 */
final class ErrorHandling {
    private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

    /** About how long the store's circuit stays open after a failed connect before it is tried again. */
    static final String STORE_RETRY_AFTER_SECONDS = "2";

    private static final long UNAVAILABLE_WARNING_INTERVAL_NANOS = 1_000_000_000L;

    private final Map<Surface, ErrorRenderer> renderers;
    private final AtomicLong lastUnavailableWarning = new AtomicLong(System.nanoTime() - UNAVAILABLE_WARNING_INTERVAL_NANOS);
    private final AtomicLong unavailableSinceWarning = new AtomicLong();
    private final ErrorRenderer fallback = new CanonicalErrors();

    ErrorHandling(Map<Surface, ErrorRenderer> renderers) {
        this.renderers = new EnumMap<>(Surface.class);
        this.renderers.putAll(renderers);
    }

    void addTo(RoutesConfig routes) {
        routes.exception(HeraldException.class, (e, ctx) -> render(ctx, e));
        routes.exception(StoreUnavailableException.class, (e, ctx) -> {
            logUnavailable(ctx, e);
            render(ctx, HeraldException.of(ErrorCode.STORE_UNAVAILABLE,
                    "the store is temporarily unavailable; retry later"));
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> render(ctx, fromHttpStatus(e.getStatus())));
        routes.exception(Exception.class, (e, ctx) -> {
            if (isMalformedFraming(e)) {
                // the client's bytes, not Herald, are at fault: no stack trace, and only for whoever debugs clients
                log.debug("ErrorHandling: malformed request body framing in {} {} (request {}): {}", ctx.method(),
                        ctx.path(), RequestIds.of(ctx), e.toString());
                ctx.header("Connection", "close");
                render(ctx, HeraldException.of(ErrorCode.INVALID_REQUEST,
                        "request body could not be read: its framing (chunk sizes or length) is malformed"));
                return;
            }
            log.error("ErrorHandling: unexpected failure in {} {} (request {})", ctx.method(), ctx.path(),
                    RequestIds.of(ctx), e);
            render(ctx, HeraldException.of(ErrorCode.INTERNAL, "internal error; request id " + RequestIds.of(ctx)));
        });
        routes.error(404, "*", ctx -> {
            if (ctx.result() == null) {
                render(ctx, HeraldException.of(ErrorCode.NOT_FOUND, "no route for " + ctx.method() + " " + ctx.path()));
            }
        });
        routes.error(405, "*", ctx -> render(ctx, HeraldException.of(ErrorCode.METHOD_NOT_ALLOWED,
                "method " + ctx.method() + " is not allowed here")));
    }

    /**
     * One WARN line per second at most while the store is down: a circuit that refuses at once lets thousands of
     * requests a second fail, and a line for each would flood the log. The others go to DEBUG, counted in the next WARN.
     */
    private void logUnavailable(Context ctx, StoreUnavailableException e) {
        long now = System.nanoTime();
        long last = lastUnavailableWarning.get();
        if (now - last >= UNAVAILABLE_WARNING_INTERVAL_NANOS && lastUnavailableWarning.compareAndSet(last, now)) {
            log.warn("ErrorHandling: store unavailable for request {} ({} more since the last warning): {}",
                    RequestIds.of(ctx), unavailableSinceWarning.getAndSet(0), e.getMessage());
        } else {
            unavailableSinceWarning.incrementAndGet();
            log.debug("ErrorHandling: store unavailable for request {}: {}", RequestIds.of(ctx), e.getMessage());
        }
    }

    /**
     * Jetty's parser failing on the body while a route reads it: a chunk size such as {@code zz} or one that
     * overflows, a body cut short. Jetty throws these as its own bad-message or end-of-file exceptions.
     */
    static boolean isMalformedFraming(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException || t instanceof EofException) {
                return true;
            }
        }
        return false;
    }

    void render(Context ctx, HeraldException e) {
        RequestId requestId = RequestIds.of(ctx);
        if (e.code() == ErrorCode.RATE_LIMITED && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", "1");
        }
        if (e.code() == ErrorCode.STORE_UNAVAILABLE && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", STORE_RETRY_AFTER_SECONDS);
        }
        renderers.getOrDefault(Surface.of(ctx.path()), fallback).render(ctx, e, requestId);
    }

    private static HeraldException fromHttpStatus(int status) {
        return switch (status) {
            case 413 -> HeraldException.of(ErrorCode.PAYLOAD_TOO_LARGE, "request body is larger than 1 MiB");
            case 404 -> HeraldException.of(ErrorCode.NOT_FOUND, "not found");
            case 405 -> HeraldException.of(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed");
            case 415 -> HeraldException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type");
            case 401 -> HeraldException.of(ErrorCode.UNAUTHORIZED, "unauthorized");
            case 403 -> HeraldException.of(ErrorCode.FORBIDDEN, "forbidden");
            case 429 -> HeraldException.of(ErrorCode.RATE_LIMITED, "rate limit exceeded");
            case 503 -> HeraldException.of(ErrorCode.STORE_UNAVAILABLE, "temporarily unavailable");
            default -> status >= 500
                    ? HeraldException.of(ErrorCode.INTERNAL, "internal error")
                    : HeraldException.of(ErrorCode.INVALID_REQUEST, "invalid request");
        };
    }
}

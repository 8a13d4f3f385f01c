package dev.herald.api.http;

import dev.herald.core.account.Caller;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP server (Javalin on Jetty 12, virtual threads). Every request gets a request id; every route except
 * the public ones requires an API key (admin routes and the Svix surface the admin token or a platform key); bodies
 * over the limit are refused with 413 before they are read; errors go through {@link ErrorHandling}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    /** The customer routes the platform may call: publishing (one event or a batch), for accounts it names. */
    private static final Set<String> PLATFORM_PUBLISH_PATHS = Set.of("/v1/events", "/v1/events/batch");
    private static final Set<String> ROUTE_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** Refused bodies up to this size are read and discarded so the client reliably receives the 413. */
    static final long MAX_DRAIN_BYTES = 16L << 20;

    private final Javalin app;

    private ApiServer(Javalin app) {
        this.app = app;
    }

    public static ApiServer start(ApiSettings settings, Authenticator authenticator, List<RouteGroup> groups,
                                  Map<Surface, ErrorRenderer> renderers, List<RequestObserver> observers) {
        return start(settings, authenticator, ApiRateLimit.off(), groups, renderers, observers);
    }

    /** As above, with a per-API-key request limit on every authenticated surface. */
    public static ApiServer start(ApiSettings settings, Authenticator authenticator, ApiRateLimit rateLimit,
                                  List<RouteGroup> groups, Map<Surface, ErrorRenderer> renderers,
                                  List<RequestObserver> observers) {
        var errors = new ErrorHandling(renderers);
        var router = new java.util.concurrent.atomic.AtomicReference<io.javalin.router.InternalRouter>();
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Virtual threads. Jetty's pool of platform threads allocates less (a publish parked on its commit copies
            // its deep Jetty stack out and back on a virtual thread): 30 against 34 KiB per delivery at fan-out 1. But
            // it cost more CPU and throughput in the same-machine bench, back to back on 2026-12-06 (fan-out 1:
            // 309 against 227 ms of CPU per 1,000 deliveries, 4,284 against 5,481 deliveries/s; fan-out 10: 122
            // against 108 ms), so the platform pool was not kept.
            config.concurrency.useVirtualThreads = true;
            // Jetty's tasks on virtual threads that are kept and reused rather than one new thread per task (see
            // VirtualThreadPool: the stack chunk a parked request copies out to is then reused too).
            config.jetty.threadPool = new VirtualThreadPool("herald-api");
            config.http.maxRequestSize = settings.maxBodyBytes();
            // Javalin copies every result into the response through a buffer of this size, new for each response
            // (it sizes nothing else: Jetty's own output buffer keeps its size); by default it is Jetty's 32 KiB
            // output buffer. 1 KiB holds a publish's answer whole; longer results take a few more copies into
            // Jetty's buffer.
            config.http.responseBufferSize = 1024;
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            config.jetty.modifyServer(server -> {
                // requests Jetty refuses before routing (undecodable paths) answer JSON with a code, not HTML
                server.setErrorHandler(new MalformedRequestErrors());
                // Javalin's default server wraps everything in a StatisticsHandler. Nothing reads its statistics, and it
                // made no stop graceful (Jetty's StatisticsHandler is not Graceful, and no stop timeout is set), but
                // it wrapped every request and response, handed its listeners a read-only view of each buffer read or
                // written and counted each request in shared adders (2 % of fan-out 1's allocation). With no handler
                // here, Javalin makes its servlet context the server's handler itself.
                server.setHandler((Handler) null);
            });
            config.jetty.modifyServletContextHandler(context -> context.setSessionHandler(new NoSessions()));
            config.routes.before(ctx -> {
                try {
                    admit(ctx, authenticator, rateLimit, settings.maxBodyBytes());
                } catch (RuntimeException refused) {
                    // Refused before routing: note the route it was for (metrics label it by its template).
                    var matched = router.get().findFirstHttpHandlerEntry(ctx.method(), ctx.path());
                    if (matched != null) {
                        ctx.attribute(RefusedRoute.ATTRIBUTE, matched.endpoint.path);
                    }
                    throw refused;
                }
                for (var group : groups) {
                    group.beforeEach(ctx);
                }
            });
            config.routes.after(ctx -> {
                for (var observer : observers) {
                    observer.completed(ctx);
                }
                MDC.remove("request_id");
            });
            errors.addTo(config.routes);
            for (var group : groups) {
                group.addTo(config.routes);
            }
        });
        router.set(app.unsafe.internalRouter);
        app.start();
        log.info("ApiServer: listening on http://{}:{}", settings.host(), app.port());
        return new ApiServer(app);
    }

    private static void admit(Context ctx, Authenticator authenticator, ApiRateLimit rateLimit, long maxBodyBytes) {
        var requestId = RequestIds.of(ctx);
        MDC.put("request_id", requestId.value());
        refuseAmbiguousFraming(ctx);
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            drainQuietly(ctx, declared);
            throw HeraldException.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    "request body is larger than " + (maxBodyBytes >= (1 << 20) ? (maxBodyBytes >> 20) + " MiB" : maxBodyBytes + " bytes"));
        }
        switch (Surface.of(ctx.path())) {
            case PUBLIC, PORTAL -> {
                // no key: public routes need none, and the portal checks its own session
            }
            case ADMIN -> authenticator.authenticatePlatform(Authenticator.bearerToken(ctx));
            case SVIX -> {
                if (!ctx.method().name().equals("OPTIONS")) {
                    authenticator.authenticatePlatform(Authenticator.bearerToken(ctx));
                    ctx.attribute(Callers.PLATFORM_ATTRIBUTE, true);
                }
            }
            default -> {
                if (ctx.method().name().equals("OPTIONS")) {
                    return;
                }
                // read once: both the platform's publish check and the customer's key take it
                Optional<String> bearer = Authenticator.bearerToken(ctx);
                if (HandlerType.POST.equals(ctx.method()) && PLATFORM_PUBLISH_PATHS.contains(ctx.path())
                        && authenticator.presentsPlatformCredential(bearer)) {
                    authenticator.authenticatePlatform(bearer);
                    ctx.attribute(Callers.PLATFORM_ATTRIBUTE, true);
                } else {
                    Caller caller = authenticator.authenticate(ctx, bearer);
                    rateLimit.admit(caller.key(), ctx);
                    ctx.attribute(Callers.ATTRIBUTE, caller);
                }
            }
        }
    }

    /**
     * HTTP/1.0 has no chunked transfer coding, so a {@code Transfer-Encoding} on an HTTP/1.0 request leaves its
     * length undefined: RFC 9112 section 6.1 says to treat the framing as faulty and close the connection, since
     * a proxy in front may have read the body differently (request smuggling).
     */
    private static void refuseAmbiguousFraming(Context ctx) {
        if ("HTTP/1.0".equals(ctx.req().getProtocol()) && ctx.req().getHeader("Transfer-Encoding") != null) {
            ctx.header("Connection", "close");
            throw HeraldException.of(ErrorCode.INVALID_REQUEST,
                    "Transfer-Encoding is not allowed on an HTTP/1.0 request; send Content-Length");
        }
    }

    /**
     * Reads and discards a refused body (up to {@link #MAX_DRAIN_BYTES}) before the 413 is written: closing the
     * connection with unread bytes makes TCP reset it, and the client would see the reset instead of the answer.
     */
    private static void drainQuietly(Context ctx, long declared) {
        if (declared > MAX_DRAIN_BYTES) {
            return;
        }
        try (var in = ctx.req().getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            long left = declared;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        } catch (java.io.IOException e) {
            // The client went away; there is nobody left to answer.
        }
    }

    public int port() {
        return app.port();
    }

    /** Every method + path template the server answers, sorted; the OpenAPI document must describe exactly these. */
    public List<RegisteredRoute> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(parsed -> parsed.endpoint)
                .filter(endpoint -> ROUTE_METHODS.contains(endpoint.method.name()))
                .map(endpoint -> new RegisteredRoute(endpoint.method.name(), endpoint.path))
                .distinct()
                .sorted(Comparator.comparing(RegisteredRoute::path).thenComparing(RegisteredRoute::method))
                .toList();
    }

    @Override
    public void close() {
        app.stop();
    }
}

package dev.herald.app;

import dev.herald.api.ApiSurfaces;
import dev.herald.api.admin.AdminRoutes;
import dev.herald.api.admin.PortalLinkRoutes;
import dev.herald.api.http.ApiRateLimit;
import dev.herald.api.http.ApiServer;
import dev.herald.api.http.ApiSettings;
import dev.herald.api.http.Authenticator;
import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.RegisteredRoute;
import dev.herald.api.http.RequestObserver;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.http.Surface;
import dev.herald.app.config.HeraldConfig;
import dev.herald.app.ops.LogOutput;
import dev.herald.app.ops.Operations;
import dev.herald.app.ops.Telemetry;
import dev.herald.core.HeraldVersion;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.UrlPolicy;
import dev.herald.core.signing.DeliverySignatures;
import dev.herald.delivery.DeliveryEngine;
import dev.herald.delivery.DeliverySettings;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.portal.Portal;
import dev.herald.portal.PortalOptions;
import dev.herald.service.Services;
import dev.herald.service.endpoint.EndpointSettings;
import dev.herald.service.portal.PortalSettings;
import dev.herald.service.svix.OperationalWebhooks;
import dev.herald.store.Store;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.http.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The composition root: builds every component from the configuration, in dependency order, and closes them in
 * reverse. The only place that knows how the parts fit together.
 */
public final class Herald implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Herald.class);

    private final Store store;
    private final DeliveryEngine engine;
    private final ApiServer server;
    private final PrometheusMeterRegistry meters;
    private final Operations operations;
    private final Telemetry telemetry;

    private Herald(Store store, DeliveryEngine engine, ApiServer server, PrometheusMeterRegistry meters,
                   Operations operations, Telemetry telemetry) {
        this.store = store;
        this.engine = engine;
        this.server = server;
        this.meters = meters;
        this.operations = operations;
        this.telemetry = telemetry;
    }

    public static Herald start(HeraldConfig config, Clock clock) {
        return start(config, clock, Telemetry.from(config.tracing(), version()));
    }

    /** As above, with spans through {@code telemetry}, which this Herald closes with itself. */
    public static Herald start(HeraldConfig config, Clock clock, Telemetry telemetry) {
        // Everything opened so far, closed in reverse order when a later step fails (a port in use must not
        // leave the engine delivering and the store open in a process that is about to report failure).
        var opened = new ArrayDeque<AutoCloseable>();
        try {
            LogOutput.use(config.logFormat()); // before the first line, so every line has the configured format
            config.adminToken().ifPresent(LogOutput::mask); // before any line could carry it
            opened.push(telemetry); // last to close: spans of the final attempts are exported
            var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            opened.push(meters::close);
            var beside = new FutureTask<Void>(() -> {
                bindJvmMeters(meters);
                // Jetty's MimeTypes, which the server's constructor loads, enumerates every locale the JDK has.
                var _ = MimeTypes.DEFAULTS;
                return null;
            });
            // Independent of the store and slow in a fresh JVM (a tenth of a cold start each): beside the store's
            // open and migration, on the second core, and waited for before the server listens.
            Thread.ofPlatform().name("herald-start").daemon().start(beside);
            Store store = StoreOpener.open(config.store(), meters);
            opened.push(store);

            var addressPolicy = AddressPolicy.create(config.allowlist());
            var urlPolicy = UrlPolicy.create(config.allowedSchemes(), addressPolicy);
            var catalog = EventCatalog.create(config.eventTypes(), store.eventTypes(), store.platformEventTypes());
            var operationalWebhooks = new OperationalWebhooks(store, clock);
            var engine = DeliveryEngine.create(store, deliverySettings(config, addressPolicy), catalog, clock, meters,
                    telemetry.tracing(), operationalWebhooks);
            opened.push(engine);
            engine.start();

            String signatureHeader = DeliverySignatures.create(config.signatureHeaderPrefix()).timestampedHeaderName();
            var authenticator = Authenticator.create(store.apiKeys(), store.platformKeys(), config.adminToken());
            var services = Services.create(store, engine, catalog,
                    new EndpointSettings(urlPolicy, signatureHeader, config.secretRotationOverlap()),
                    portalSettings(config), authenticator, operationalWebhooks, clock);

            List<RouteGroup> routes = new ArrayList<>(ApiSurfaces.routeGroups(store, services, engine::isRunning, clock));
            routes.add(new MetricsRoutes(meters));
            routes.add(new AdminRoutes(services.accounts(), services.platformKeys()));
            routes.add(new PortalLinkRoutes(services.accounts(), services.portalLinks()));
            var portal = Portal.create(services, portalOptions(config), clock);
            routes.add(portal.routes());
            var operations = Operations.start(config, store, meters, clock);
            opened.push(operations); // its retention thread must not outlive the store
            routes.addAll(operations.routes());
            Map<Surface, ErrorRenderer> renderers = new java.util.EnumMap<>(ApiSurfaces.errorRenderers());
            renderers.put(Surface.PORTAL, portal.errors());

            await(beside);
            var settings = new ApiSettings(config.listenHost(), config.listenPort(), ApiSettings.DEFAULT_MAX_BODY,
                    config.adminToken());
            var server = listen(settings, authenticator, ApiRateLimit.perKey(config.apiRateLimitPerSecond()), routes,
                    renderers, operations.observers());
            var herald = new Herald(store, engine, server, meters, operations, telemetry);
            herald.greet(config);
            return herald;
        } catch (RuntimeException | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** The JVM's meters on /metrics; each binder loads and registers its MXBeans. */
    private static void bindJvmMeters(PrometheusMeterRegistry meters) {
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new JvmCompilationMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters); // process_start_time_seconds, process_uptime_seconds
    }

    /** Waits for work started beside the main line of {@link #start}, and fails the start as that work failed. */
    private static void await(FutureTask<Void> beside) {
        try {
            beside.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static ApiServer listen(ApiSettings settings, Authenticator authenticator, ApiRateLimit rateLimit,
                                    List<RouteGroup> routes, Map<Surface, ErrorRenderer> renderers,
                                    List<RequestObserver> observers) {
        try {
            return ApiServer.start(settings, authenticator, rateLimit, routes, renderers, observers);
        } catch (JavalinBindException e) {
            throw new StartupException("cannot listen on " + settings.host() + ":" + settings.port()
                    + ": the port is in use or not allowed (set listen.port / HERALD_LISTEN_PORT)", e);
        }
    }

    /** Closes {@code opened} most recent first; a failure to close is added to {@code cause}, never thrown over it. */
    private static void closeAll(ArrayDeque<AutoCloseable> opened, Throwable cause) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception | Error closeFailure) {
                cause.addSuppressed(closeFailure);
            }
        }
    }

    /** Opens and migrates the configured store. */
    public static Store openStore(HeraldConfig config) {
        return StoreOpener.open(config.store());
    }

    /** The version the build wrote (the same in the jar and when running from classes). */
    public static String version() {
        return HeraldVersion.current();
    }

    /**
     * How a CLI command is spelled where this Herald runs, for hints: {@code HERALD_CLI} when set (the image sets
     * its {@code docker exec …} form), {@code ./herald} under the launcher script, else {@code java -jar herald.jar}.
     */
    public static String cliCommand() {
        String cli = System.getenv("HERALD_CLI");
        if (cli != null && !cli.isBlank()) {
            return cli;
        }
        return System.getProperty("herald.home") != null ? "./herald" : "java -jar herald.jar";
    }

    /** How portal links and sessions are made, from {@code portal.*}. */
    public static PortalSettings portalSettings(HeraldConfig config) {
        var portal = config.portal();
        return new PortalSettings(portal.publicUrl(), portal.linkTtl(), portal.sessionTtl());
    }

    private static PortalOptions portalOptions(HeraldConfig config) {
        var portal = config.portal();
        return new PortalOptions(portal.title(), portal.logoUrl(), portal.accentColor(), portal.frameAncestors());
    }

    static DeliverySettings deliverySettings(HeraldConfig config, AddressPolicy addressPolicy) {
        return DeliverySettings.defaults()
                .withRequestTimeout(config.deliveryTimeout())
                .withRetrySchedule(config.retrySchedule())
                .withMaxConcurrencyPerEndpoint(config.endpointConcurrency())
                .withMaxInFlight(config.maxInFlight())
                .withLeaseDuration(config.lease())
                .withSignatureHeaderPrefix(config.signatureHeaderPrefix())
                .withAllowHttp(config.allowedSchemes().contains("http"))
                .withAddressPolicy(addressPolicy)
                .withShutdownGrace(config.shutdownGrace())
                .withBreaker(config.breaker());
    }

    private void greet(HeraldConfig config) {
        log.info("Herald: ready on http://{}:{} with store {}", config.listenHost(), port(), config.describeStore());
        if (store.accounts().list().isEmpty()) {
            String cli = cliCommand();
            log.info("Herald: no accounts yet. Create one and a key with:"
                    + " `{} account create --name <name>` then `{} key create --account <id>`{}", cli, cli,
                    config.adminToken().isPresent() ? " (or POST /admin/v1/accounts with the admin token)" : "");
        }
    }

    public int port() {
        return server.port();
    }

    /**
     * The API routes the server registered (the OpenAPI document must describe exactly these); the portal's HTML
     * pages under {@code /portal} are not part of the API.
     */
    public List<RegisteredRoute> routes() {
        return server.routes().stream().filter(route -> Surface.of(route.path()) != Surface.PORTAL).toList();
    }

    public Store store() {
        return store;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** Stops taking requests, lets in-flight deliveries finish within the engine's grace period, then closes the store. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                operations.close();
                engine.close();
            } finally {
                store.close();
                meters.close();
                telemetry.close();
            }
        }
        log.info("Herald: stopped");
    }
}

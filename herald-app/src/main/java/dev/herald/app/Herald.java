package dev.herald.app;

import dev.herald.api.ApiSurfaces;
import dev.herald.api.admin.AccountAdministration;
import dev.herald.api.admin.AdminRoutes;
import dev.herald.api.endpoint.EndpointService;
import dev.herald.api.http.ApiRateLimit;
import dev.herald.api.http.ApiServer;
import dev.herald.api.http.ApiSettings;
import dev.herald.api.http.Authenticator;
import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.RegisteredRoute;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.http.Surface;
import dev.herald.app.config.HeraldConfig;
import dev.herald.app.ops.Operations;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.UrlPolicy;
import dev.herald.core.signing.DeliverySignatures;
import dev.herald.delivery.DeliveryEngine;
import dev.herald.delivery.DeliverySettings;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.store.Store;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    private Herald(Store store, DeliveryEngine engine, ApiServer server, PrometheusMeterRegistry meters,
                   Operations operations) {
        this.store = store;
        this.engine = engine;
        this.server = server;
        this.meters = meters;
        this.operations = operations;
    }

    public static Herald start(HeraldConfig config, Clock clock) {
        var meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Store store;
        try {
            store = StoreOpener.open(config.store(), meters);
        } catch (RuntimeException | Error e) {
            meters.close();
            throw e;
        }
        Operations operations = null;
        try {
            new JvmMemoryMetrics().bindTo(meters);
            new JvmGcMetrics().bindTo(meters);
            new JvmThreadMetrics().bindTo(meters);
            new ClassLoaderMetrics().bindTo(meters);
            new JvmCompilationMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);

            var addressPolicy = AddressPolicy.create(config.allowlist());
            var urlPolicy = UrlPolicy.create(config.allowedSchemes(), addressPolicy);
            var catalog = EventCatalog.create(config.eventTypes(), store.eventTypes());
            var engine = DeliveryEngine.create(store, deliverySettings(config, addressPolicy), catalog, clock, meters);
            engine.start();

            String signatureHeader = DeliverySignatures.create(config.signatureHeaderPrefix()).timestampedHeaderName();
            var endpoints = new EndpointService(store, catalog, urlPolicy, signatureHeader,
                    config.secretRotationOverlap(), engine::endpointChanged, clock);
            var authenticator = Authenticator.create(store.apiKeys(), config.adminToken());
            var admin = new AccountAdministration(store, clock, authenticator::forget, engine::endpointChanged);

            List<RouteGroup> routes = new ArrayList<>(ApiSurfaces.routeGroups(store, endpoints, catalog, engine, clock));
            routes.add(new MetricsRoutes(meters));
            routes.add(new AdminRoutes(admin));
            operations = Operations.start(config, store, meters, clock);
            routes.addAll(operations.routes());
            Map<Surface, ErrorRenderer> renderers = ApiSurfaces.errorRenderers();

            var settings = new ApiSettings(config.listenHost(), config.listenPort(), ApiSettings.DEFAULT_MAX_BODY,
                    config.adminToken());
            var server = ApiServer.start(settings, authenticator,
                    ApiRateLimit.perKey(config.apiRateLimitPerSecond()), routes, renderers, operations.observers());
            var herald = new Herald(store, engine, server, meters, operations);
            herald.greet(config);
            return herald;
        } catch (RuntimeException | Error e) {
            if (operations != null) {
                operations.close(); // its retention thread must not outlive the store
            }
            store.close();
            throw e;
        }
    }

    /** Opens and migrates the configured store. */
    public static Store openStore(HeraldConfig config) {
        return StoreOpener.open(config.store());
    }

    /** The version from the jar manifest, or "dev" when running from classes. */
    public static String version() {
        String v = Herald.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
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
                .withUserAgent("Herald/" + version())
                .withShutdownGrace(config.shutdownGrace());
    }

    private void greet(HeraldConfig config) {
        log.info("Herald: ready on http://{}:{} with store {}", config.listenHost(), port(), config.describeStore());
        if (store.accounts().list().isEmpty()) {
            log.info("Herald: no accounts yet. Create one and a key with:"
                    + " `./herald account create --name <name>` then `./herald key create --account <id>`"
                    + (config.adminToken().isPresent() ? " (or POST /admin/v1/accounts with the admin token)" : ""));
        }
    }

    public int port() {
        return server.port();
    }

    /** The routes the server registered (the OpenAPI document must describe exactly these). */
    public List<RegisteredRoute> routes() {
        return server.routes();
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
            }
        }
        log.info("Herald: stopped");
    }
}

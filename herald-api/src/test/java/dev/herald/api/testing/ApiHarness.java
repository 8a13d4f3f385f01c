package dev.herald.api.testing;

import dev.herald.api.admin.AccountAdministration;
import dev.herald.api.canonical.CanonicalApi;
import dev.herald.api.endpoint.EndpointService;
import dev.herald.api.health.HealthRoutes;
import dev.herald.api.http.ApiServer;
import dev.herald.api.http.ApiSettings;
import dev.herald.api.http.Authenticator;
import dev.herald.api.http.CanonicalErrors;
import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.http.Surface;
import dev.herald.core.event.EventType;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.Cidr;
import dev.herald.core.outbound.UrlPolicy;
import dev.herald.core.delivery.RetrySchedule;
import dev.herald.delivery.DeliveryEngine;
import dev.herald.delivery.DeliverySettings;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The real API server for tests: Javalin on 127.0.0.1 with a free port, a real store (SQLite in a temporary
 * directory or a fresh PostgreSQL schema), the event catalog holding the union of the seeds' types, the
 * endpoint service, a running delivery engine and every route group. Creates accounts with keys and hands out
 * HTTP clients.
 */
public final class ApiHarness implements AutoCloseable {
    /** The union of the seeds' event catalogs, as in the demo configuration. */
    public static final List<EventType> SEED_EVENT_TYPES = Stream.of(
            "job.completed", "job.failed",
            "message.sent", "message.delivered", "message.received",
            "delivered", "bounced", "deferred", "opened", "clicked", "unsubscribed", "complained", "inbound",
            "asset.processing.completed", "asset.processing.failed")
            .map(name -> new EventType(name, "Seed event type " + name, Optional.empty()))
            .toList();
    public static final String SIGNATURE_HEADER_PREFIX = "X-Herald";
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    private final StoreKind kind;
    private final Path dataDir;
    private final Store store;
    private final Clock clock;
    private final EventCatalog catalog;
    private final DeliveryEngine engine;
    private final EndpointService endpoints;
    private final AccountAdministration admin;
    private final ApiServer server;
    private final HttpClient http;
    private final URI base;

    private ApiHarness(StoreKind kind, Path dataDir, Store store, Clock clock, EventCatalog catalog,
                       DeliveryEngine engine, EndpointService endpoints, AccountAdministration admin,
                       ApiServer server) {
        this.kind = kind;
        this.dataDir = dataDir;
        this.store = store;
        this.clock = clock;
        this.catalog = catalog;
        this.engine = engine;
        this.endpoints = endpoints;
        this.admin = admin;
        this.server = server;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.base = URI.create("http://127.0.0.1:" + server.port());
    }

    /**
     * What the outbound URL policy accepts (schemes, and which otherwise refused CIDRs are allowed) and the
     * retry schedule of the delivery engine.
     */
    public record Options(Set<String> schemes, List<Cidr> allowlist, RetrySchedule retrySchedule) {
        /** A compressed schedule (three attempts within a fraction of a second) so failures finish fast. */
        public static final RetrySchedule FAST_RETRIES = new RetrySchedule(
                List.of(Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(50)), 0);

        /** http and https, loopback allowed: receivers in tests listen on 127.0.0.1. */
        public static Options local() {
            return new Options(Set.of("http", "https"), List.of(Cidr.parse("127.0.0.0/8")), FAST_RETRIES);
        }

        /** The production default: HTTPS only, no private addresses. */
        public static Options strict() {
            return new Options(Set.of("https"), List.of(), FAST_RETRIES);
        }

        public Options withRetrySchedule(RetrySchedule schedule) {
            return new Options(schemes, allowlist, schedule);
        }
    }

    public static ApiHarness start(StoreKind kind) {
        return start(kind, Options.local());
    }

    public static ApiHarness start(StoreKind kind, Options options) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("herald-api-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Store store = kind.open(dataDir);
        DeliveryEngine engine = null;
        try {
            Clock clock = Clock.systemUTC();
            var addresses = AddressPolicy.create(options.allowlist());
            var urlPolicy = UrlPolicy.create(options.schemes(), addresses);
            var catalog = EventCatalog.create(SEED_EVENT_TYPES, store.eventTypes());
            var delivery = DeliverySettings.defaults()
                    .withAllowHttp(options.schemes().contains("http"))
                    .withAddressPolicy(addresses)
                    .withRetrySchedule(options.retrySchedule())
                    .withPollInterval(Duration.ofMillis(50))
                    .withSignatureHeaderPrefix(SIGNATURE_HEADER_PREFIX)
                    .withShutdownGrace(Duration.ofSeconds(1));
            engine = DeliveryEngine.create(store, delivery, catalog, clock, new SimpleMeterRegistry());
            engine.start();
            var endpoints = new EndpointService(store, catalog, urlPolicy, SIGNATURE_HEADER_PREFIX + "-Signature",
                    ROTATION_OVERLAP, engine::endpointChanged, clock);
            var authenticator = Authenticator.create(store.apiKeys(), Optional.empty());
            var admin = new AccountAdministration(store, clock, authenticator::forget, engine::endpointChanged);
            var settings = new ApiSettings("127.0.0.1", 0, ApiSettings.DEFAULT_MAX_BODY, Optional.empty());
            var server = ApiServer.start(settings, authenticator,
                    routeGroups(store, endpoints, catalog, engine, clock), renderers(), List.of());
            return new ApiHarness(kind, dataDir, store, clock, catalog, engine, endpoints, admin, server);
        } catch (RuntimeException | Error e) {
            if (engine != null) {
                engine.close();
            }
            store.close();
            deleteQuietly(dataDir);
            throw e;
        }
    }

    /** The app's own surfaces ({@link dev.herald.api.ApiSurfaces}), so tests serve exactly what Herald serves. */
    private static List<RouteGroup> routeGroups(Store store, EndpointService endpoints, EventCatalog catalog,
                                                DeliveryEngine engine, Clock clock) {
        return dev.herald.api.ApiSurfaces.routeGroups(store, endpoints, catalog, engine, clock);
    }

    private static Map<Surface, ErrorRenderer> renderers() {
        return dev.herald.api.ApiSurfaces.errorRenderers();
    }

    /** A new account with one key. */
    public TestAccount newAccount() {
        var account = admin.createAccount("test account");
        var issued = admin.issueKey(account.id(), "test key");
        return new TestAccount(account.id(), issued.key().id(), issued.token().value());
    }

    /** Another key of an existing account. */
    public TestAccount newKey(TestAccount of) {
        var issued = admin.issueKey(of.account(), "another key");
        return new TestAccount(of.account(), issued.key().id(), issued.token().value());
    }

    public ApiClient client(TestAccount account) {
        return new ApiClient(http, base, Optional.of(account.key()), Map.of());
    }

    /** A client that sends no key. */
    public ApiClient anonymousClient() {
        return new ApiClient(http, base, Optional.empty(), Map.of());
    }

    public URI baseUri() {
        return base;
    }

    public StoreKind kind() {
        return kind;
    }

    public Store store() {
        return store;
    }

    public DeliveryEngine engine() {
        return engine;
    }

    public EventCatalog catalog() {
        return catalog;
    }

    public EndpointService endpoints() {
        return endpoints;
    }

    public AccountAdministration admin() {
        return admin;
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            try {
                engine.close();
            } finally {
                store.close();
                deleteQuietly(dataDir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless.
        }
    }
}

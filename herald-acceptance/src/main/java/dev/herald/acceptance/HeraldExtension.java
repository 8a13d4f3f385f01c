package dev.herald.acceptance;

import dev.herald.app.Herald;
import dev.herald.app.config.ConfigLoader;
import dev.herald.app.config.HeraldConfig;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald started whole, through its composition root, on a real store for one test class (the pattern of jdbi's
 * database extensions), with accounts, keys and HTTP clients for the tests.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HeraldExtension herald = HeraldExtension.sqlite();        // or postgres()
 *
 * @ClassTemplate                                                          // the class runs once per store
 * class WebhookTest {
 *     @RegisterExtension
 *     static final HeraldExtension herald = HeraldExtension.onEveryStore();
 * }
 * }</pre>
 *
 * By default receivers on 127.0.0.1 over plain HTTP are allowed and retries are three attempts within a fraction
 * of a second; {@link #strictOutbound()} and {@link #with} change that. PostgreSQL runs on a private schema that is
 * dropped afterwards, and the class is skipped (failed on CI) when PostgreSQL is unreachable.
 */
public final class HeraldExtension implements BeforeAllCallback, AfterAllCallback,
        ClassTemplateInvocationContextProvider {
    /** Three attempts within a fraction of a second, so failures finish fast. */
    private static final String FAST_RETRIES = "0s,50ms,50ms";
    /** How many attempts a failing delivery gets under the default schedule. */
    public static final int FAST_RETRY_ATTEMPTS = 3;
    private static final int POOL_SIZE = 4;
    private static final String CONFIG_FILE = "herald.properties";

    private final List<StoreKind> stores;
    private final Map<String, String> settings;
    private final Consumer<HeraldExtension> initializer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Running running;

    private HeraldExtension(List<StoreKind> stores, Map<String, String> settings,
                            Consumer<HeraldExtension> initializer) {
        this.stores = List.copyOf(stores);
        this.settings = Map.copyOf(settings);
        this.initializer = initializer;
    }

    /** Herald on SQLite in a temporary directory, for the whole class. */
    public static HeraldExtension sqlite() {
        return new HeraldExtension(List.of(StoreKind.SQLITE), local(), h -> { });
    }

    /** Herald on a fresh PostgreSQL schema of the local server, for the whole class. */
    public static HeraldExtension postgres() {
        return new HeraldExtension(List.of(StoreKind.POSTGRES), local(), h -> { });
    }

    /** For a class annotated {@code @ClassTemplate}: the class runs once per store, each time on a fresh Herald. */
    public static HeraldExtension onEveryStore() {
        return new HeraldExtension(List.of(StoreKind.values()), local(), h -> { });
    }

    private static Map<String, String> local() {
        var s = new LinkedHashMap<String, String>();
        s.put("listen.host", "127.0.0.1");
        s.put("listen.port", "0");
        s.put("store.pool-size", Integer.toString(POOL_SIZE));
        s.put("outbound.allowed-schemes", "http,https");
        s.put("outbound.allowlist", "127.0.0.0/8");
        s.put("delivery.retry-schedule", FAST_RETRIES);
        s.put("delivery.retry-jitter", "0");
        s.put("shutdown.grace", "1s");
        return s;
    }

    /** The production URL policy: HTTPS only, no private addresses. */
    public HeraldExtension strictOutbound() {
        return with("outbound.allowed-schemes", "https").with("outbound.allowlist", "");
    }

    /** Any configuration key of {@code herald.properties}, as the operator would set it. */
    public HeraldExtension with(String key, String value) {
        var more = new LinkedHashMap<>(settings);
        more.put(key, value);
        return new HeraldExtension(stores, more, initializer);
    }

    /**
     * Runs {@code arrange} each time Herald has started (once per store with {@link #onEveryStore()}): data the
     * whole class shares, made again on each store's Herald.
     */
    public HeraldExtension withInitializer(Consumer<HeraldExtension> arrange) {
        return new HeraldExtension(stores, settings, arrange);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        if (stores.size() == 1) {
            start(stores.getFirst());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (stores.size() == 1) {
            stop();
        }
    }

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return stores.size() > 1;
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        return stores.stream().map(OnStore::new);
    }

    /** One run of a {@code @ClassTemplate} class: a Herald on {@code kind} around it. */
    private final class OnStore implements ClassTemplateInvocationContext, BeforeClassTemplateInvocationCallback,
            AfterClassTemplateInvocationCallback {
        private final StoreKind kind;

        OnStore(StoreKind kind) {
            this.kind = kind;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public void beforeClassTemplateInvocation(ExtensionContext context) {
            start(kind);
        }

        @Override
        public void afterClassTemplateInvocation(ExtensionContext context) {
            stop();
        }
    }

    private void start(StoreKind kind) {
        startOn(kind);
        try {
            initializer.accept(this);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    private void startOn(StoreKind kind) {
        if (running != null) {
            throw new IllegalStateException("Herald is already running for this class");
        }
        Path dir = temporaryDirectory();
        var values = new LinkedHashMap<>(settings);
        values.put("admin.token", "adm_" + randomHex() + randomHex());
        Optional<String> schema = Optional.empty();
        String adminUrl = TestStores.postgresUrl();
        if (kind == StoreKind.SQLITE) {
            values.put("store", "sqlite:" + dir.resolve("data"));
        } else {
            TestStores.requirePostgres(adminUrl);
            schema = Optional.of("herald_test_" + randomHex());
            values.put("store", adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema.get());
        }
        try {
            // A file rather than variables: an unknown key given to with(…) fails, naming the key.
            Herald herald = startHerald(ConfigLoader.load(Optional.of(configFile(dir, values)), Map.of()));
            running = new Running(kind, herald, dir, schema, adminUrl, values.get("admin.token"),
                    URI.create("http://127.0.0.1:" + herald.port()));
        } catch (RuntimeException | Error e) {
            schema.ifPresent(s -> dropSchema(adminUrl, s));
            deleteQuietly(dir);
            throw e;
        }
    }

    /**
     * The one place that builds Herald: its own composition root, exactly as {@code ./herald serve} does, so tests
     * serve every route, error renderer and background task the product has.
     */
    private static Herald startHerald(HeraldConfig config) {
        return Herald.start(config, Clock.systemUTC());
    }

    private void stop() {
        Running r = running;
        running = null;
        if (r == null) {
            return;
        }
        try {
            r.herald().close();
        } finally {
            r.schema().ifPresent(s -> dropSchema(r.adminUrl(), s));
            deleteQuietly(r.dir());
        }
    }

    /** What one started Herald holds, and what to clean up after it. */
    private record Running(StoreKind kind, Herald herald, Path dir, Optional<String> schema, String adminUrl,
                           String adminToken, URI base) {
    }

    private Running running() {
        if (running == null) {
            throw new IllegalStateException("Herald is not running: register the extension as a static field"
                    + " (@RegisterExtension), and annotate the class @ClassTemplate with onEveryStore()");
        }
        return running;
    }

    // ---- what tests use --------------------------------------------------------------------------------------

    public StoreKind kind() {
        return running().kind();
    }

    public Herald herald() {
        return running().herald();
    }

    /** The running Herald's store, for arranging or checking what the API does not show. */
    public Store store() {
        return running().herald().store();
    }

    public int port() {
        return running().herald().port();
    }

    public URI baseUri() {
        return running().base();
    }

    /** The properties file this Herald was started from: the CLI ({@code --config}) reaches the same store with it. */
    public Path configFile() {
        return running().dir().resolve(CONFIG_FILE);
    }

    /** A new account with one key, created through the admin API as an operator would. */
    public TestAccount newAccount() {
        var account = admin().post("/admin/v1/accounts", "{\"name\":\"test account\"}");
        assertThat(account.status()).as(account.toString()).isEqualTo(201);
        return issueKey(new AccountId(account.json().path("id").asLong()));
    }

    /** Another key of an existing account. */
    public TestAccount newKey(TestAccount of) {
        return issueKey(of.account());
    }

    public void revokeKey(TestAccount key) {
        var revoked = admin().delete("/admin/v1/keys/" + key.keyId().value());
        assertThat(revoked.status()).as(revoked.toString()).isBetween(200, 204);
    }

    private TestAccount issueKey(AccountId account) {
        var key = admin().post("/admin/v1/accounts/" + account.value() + "/keys", "{\"name\":\"test key\"}");
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return new TestAccount(account, new ApiKeyId(key.json().path("id").asLong()), key.json().path("key").asText());
    }

    public ApiClient client(TestAccount account) {
        return new ApiClient(http, baseUri(), Optional.of(account.key()), Map.of());
    }

    /** A client that sends no key. */
    public ApiClient anonymousClient() {
        return new ApiClient(http, baseUri(), Optional.empty(), Map.of());
    }

    /** A client holding the admin token, for {@code /admin/v1}. */
    public ApiClient admin() {
        return new ApiClient(http, baseUri(), Optional.of(running().adminToken()), Map.of());
    }

    // ---- cleaning up -----------------------------------------------------------------------------------------

    private static Path configFile(Path dir, Map<String, String> values) {
        var text = new StringBuilder();
        // properties syntax: backslashes in values (Windows paths) must be escaped
        values.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        try {
            return Files.writeString(dir.resolve(CONFIG_FILE), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomHex() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("herald-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void dropSchema(String adminUrl, String schema) {
        // The schema name is generated above (herald_test_ and hex digits); identifiers cannot be bound.
        try (var c = DriverManager.getConnection(adminUrl); var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}

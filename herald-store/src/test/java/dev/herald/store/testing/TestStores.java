package dev.herald.store.testing;

import dev.herald.store.Store;
import dev.herald.store.postgres.PostgresStore;
import dev.herald.store.sqlite.SqliteStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Real stores for tests: SQLite in a directory, PostgreSQL on a fresh schema of the local server
 * ({@code HERALD_TEST_PG_URL}), dropped again when the store is closed. Without a reachable PostgreSQL the
 * test is skipped, or fails when {@code CI=true}.
 */
public final class TestStores {
    public static final String PG_URL_VARIABLE = "HERALD_TEST_PG_URL";
    public static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final int POOL_SIZE = 4;

    /** Reachability is probed once per JVM: a dead server would otherwise cost a timeout per test. */
    private static volatile String unreachableReason;
    private static volatile boolean probed;

    private TestStores() {
    }

    public static Store sqlite(Path dir) {
        return SqliteStore.open(dir);
    }

    public static Store sqlite(Path dir, MeterRegistry registry) {
        return SqliteStore.open(dir, registry);
    }

    /** A PostgreSQL store on a new schema {@code herald_test_<random>}; skips the test when unreachable. */
    public static Store postgres() {
        return postgres(schemaUrl -> PostgresStore.open(schemaUrl, POOL_SIZE));
    }

    /** Like {@link #postgres()}, with the pool's metrics reported to {@code registry}. */
    public static Store postgres(MeterRegistry registry) {
        return postgres(schemaUrl -> PostgresStore.open(schemaUrl, POOL_SIZE, registry));
    }

    /**
     * A second node on the schema of {@code first} (a store from {@link #postgres()}): its own pool and metrics,
     * the same tables. Closing it leaves the schema to {@code first}.
     */
    public static Store postgresBeside(Store first, MeterRegistry registry) {
        if (!(first instanceof SchemaDroppingStore pg)) {
            throw new IllegalArgumentException("a second node needs a PostgreSQL test store beside it");
        }
        return PostgresStore.open(withParameter(pg.adminUrl(), "currentSchema", pg.schema()), POOL_SIZE, registry);
    }

    private static Store postgres(Function<String, Store> opener) {
        String url = postgresUrl();
        requirePostgres(url);
        String schema = "herald_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Store store = opener.apply(withParameter(url, "currentSchema", schema));
        return new SchemaDroppingStore(store, url, schema);
    }

    public static String postgresUrl() {
        String configured = System.getenv(PG_URL_VARIABLE);
        return configured == null || configured.isBlank() ? DEFAULT_PG_URL : configured;
    }

    /** Aborts the calling test (fails it on CI) when PostgreSQL cannot be reached. */
    public static void requirePostgres(String url) {
        String reason = probe(url);
        if (reason == null) {
            return;
        }
        String message = "PostgreSQL unreachable at " + PostgresUrls.withoutQuery(url) + " (" + PG_URL_VARIABLE
                + "): " + reason;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + "; CI=true requires it");
        }
        Assumptions.abort(message);
    }

    private static synchronized String probe(String url) {
        if (!probed) {
            var props = new Properties();
            props.setProperty("connectTimeout", "3");
            try (var c = DriverManager.getConnection(url, props)) {
                unreachableReason = c.isValid(3) ? null : "connection not valid";
            } catch (SQLException e) {
                unreachableReason = e.getMessage();
            }
            probed = true;
        }
        return unreachableReason;
    }

    /**
     * Every value of every row of {@code table} as text, read behind the store's back; for asserting what
     * is (not) stored, such as plaintext tokens. {@code sqliteDir} is the directory a SQLite store was opened on.
     */
    public static String tableText(Store store, Path sqliteDir, String table) {
        if (!table.matches("[a-z_]+")) {
            throw new IllegalArgumentException("table names are plain identifiers");
        }
        var text = new StringBuilder();
        try (var c = connect(store, sqliteDir); var st = c.createStatement();
             var rs = st.executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    text.append(rs.getString(i)).append('|');
                }
                text.append('\n');
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read table " + table, e);
        }
        return text.toString();
    }

    /**
     * A connection of its own to the database of {@code store} (auto-commit), behind the store's back: for reading
     * what the store cannot tell, such as a statement's plan. {@code sqliteDir} is the directory a SQLite store was
     * opened on.
     */
    public static Connection connect(Store store, Path sqliteDir) throws SQLException {
        String url = store instanceof SchemaDroppingStore pg
                ? withParameter(pg.adminUrl(), "currentSchema", pg.schema())
                : "jdbc:sqlite:" + sqliteDir.resolve("herald.db").toAbsolutePath();
        return DriverManager.getConnection(url);
    }

    static String withParameter(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
    }
}

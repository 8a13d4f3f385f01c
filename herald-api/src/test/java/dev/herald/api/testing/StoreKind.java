package dev.herald.api.testing;

import dev.herald.store.Store;
import dev.herald.store.postgres.PostgresStore;
import dev.herald.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * The stores every API test runs against: SQLite in a temporary directory, and PostgreSQL in a fresh schema
 * (dropped on close) of {@code HERALD_TEST_PG_URL} or {@code 127.0.0.1:5432/test}. Without a reachable
 * PostgreSQL the PostgreSQL runs are skipped, unless {@code CI=true}, where they fail.
 */
public enum StoreKind {
    SQLITE,
    POSTGRES;

    static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** An opened store and what to do after closing it. */
    record Opened(Store store, Runnable cleanup) {
    }

    Opened open(Path dataDir) {
        return switch (this) {
            case SQLITE -> new Opened(SqliteStore.open(dataDir), () -> { });
            case POSTGRES -> openPostgres();
        };
    }

    private static Opened openPostgres() {
        String base = Optional.ofNullable(System.getenv("HERALD_TEST_PG_URL")).filter(s -> !s.isBlank())
                .orElse(DEFAULT_PG_URL);
        requireReachable(base);
        String schema = "api_test_" + Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT)
                + Integer.toHexString((int) (Math.random() * 0xffff));
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Store store = PostgresStore.open(url, 8);
        return new Opened(store, () -> dropSchema(base, schema));
    }

    private static void requireReachable(String url) {
        try (var connection = DriverManager.getConnection(url)) {
            connection.isValid(2);
        } catch (SQLException e) {
            boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
            if (ci) {
                throw new IllegalStateException("PostgreSQL is required under CI but not reachable: " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL not reachable, skipping: " + e.getMessage());
        }
    }

    private static void dropSchema(String url, String schema) {
        try (var connection = DriverManager.getConnection(url);
             var statement = connection.createStatement()) {
            // The schema name is generated above from hex digits only, never from input.
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema, e);
        }
    }
}

package dev.herald.bench.ceiling;

import dev.herald.bench.report.Percentiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Ceiling B: the database's own durable commit rate for a delivery's rows, with the same batching as Herald's
 * group commit: per delivery one event row, one delivery row, one attempt row and one state update, committed
 * in transactions of {@code batch} deliveries (publish transaction, then result transaction). Plain JDBC, no
 * Herald code, so this is what the disk and the database allow.
 */
public final class StoreCeiling {
    private static final List<String> SCHEMA = List.of("""
            CREATE TABLE bench_events (
                id          BIGINT PRIMARY KEY,
                public_id   TEXT   NOT NULL,
                account_id  BIGINT NOT NULL,
                type        TEXT   NOT NULL,
                occurred_at BIGINT NOT NULL,
                payload     TEXT   NOT NULL
            )""", """
            CREATE TABLE bench_deliveries (
                id              BIGINT PRIMARY KEY,
                public_id       TEXT   NOT NULL UNIQUE,
                event_id        BIGINT NOT NULL,
                endpoint_id     BIGINT NOT NULL,
                state           TEXT   NOT NULL,
                attempts        INTEGER NOT NULL,
                next_attempt_at BIGINT,
                created_at      BIGINT NOT NULL,
                updated_at      BIGINT NOT NULL
            )""",
            "CREATE INDEX bench_deliveries_due ON bench_deliveries (next_attempt_at) WHERE state = 'pending'", """
            CREATE TABLE bench_attempts (
                id              BIGINT PRIMARY KEY,
                delivery_id     BIGINT NOT NULL,
                number          INTEGER NOT NULL,
                attempted_at    BIGINT NOT NULL,
                duration_ms     BIGINT NOT NULL,
                response_status INTEGER,
                response_body   TEXT   NOT NULL
            )""");
    private static final String INSERT_EVENT =
            "INSERT INTO bench_events (id, public_id, account_id, type, occurred_at, payload) VALUES (?, ?, 1, 'bench.e', ?, ?)";
    private static final String INSERT_DELIVERY = """
            INSERT INTO bench_deliveries (id, public_id, event_id, endpoint_id, state, attempts, next_attempt_at,
                                          created_at, updated_at)
            VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?)""";
    private static final String INSERT_ATTEMPT = """
            INSERT INTO bench_attempts (id, delivery_id, number, attempted_at, duration_ms, response_status, response_body)
            VALUES (?, ?, 1, ?, 1, 200, '')""";
    private static final String MARK_DELIVERED =
            "UPDATE bench_deliveries SET state = 'delivered', attempts = 1, next_attempt_at = NULL, updated_at = ? WHERE id = ?";

    private StoreCeiling() {
    }

    /**
     * Durable rates of one run, and how long its commits took (nanoseconds, nearest rank): no publish can reach a
     * receiver sooner than one such commit, so they bound the publish latency on this disk.
     */
    public record Rates(double deliveriesPerSecond, double rowsPerSecond, Percentiles commits) {
    }

    public static Rates sqlite(Path directory, int deliveries, int batch, String payload) throws SQLException {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + directory, e);
        }
        String url = "jdbc:sqlite:" + directory.resolve("ceiling.db");
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                // FULL, as Herald: an accepted event survives power loss.
                st.execute("PRAGMA synchronous = FULL");
            }
            return run(c, deliveries, batch, payload);
        }
    }

    public static Rates postgres(String jdbcUrl, int deliveries, int batch, String payload) throws SQLException {
        String schema = "bench_ceiling_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            try (Statement st = c.createStatement()) {
                // The schema name is generated here from hex digits, never from input.
                st.execute("CREATE SCHEMA " + schema);
                st.execute("SET search_path TO " + schema);
            }
            try {
                return run(c, deliveries, batch, payload);
            } finally {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    private static Rates run(Connection c, int deliveries, int batch, String payload) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String ddl : SCHEMA) {
                st.execute(ddl);
            }
        }
        c.setAutoCommit(false);
        var commitNanos = new long[2 * ((deliveries + batch - 1) / batch)];
        int commits = 0;
        long started = System.nanoTime();
        try (PreparedStatement event = c.prepareStatement(INSERT_EVENT);
             PreparedStatement delivery = c.prepareStatement(INSERT_DELIVERY);
             PreparedStatement attempt = c.prepareStatement(INSERT_ATTEMPT);
             PreparedStatement delivered = c.prepareStatement(MARK_DELIVERED)) {
            for (int from = 0; from < deliveries; from += batch) {
                int to = Math.min(deliveries, from + batch);
                long now = System.currentTimeMillis();
                for (int id = from; id < to; id++) {
                    event.setLong(1, id);
                    event.setString(2, "evt_" + id);
                    event.setLong(3, now);
                    event.setString(4, payload);
                    event.addBatch();
                    delivery.setLong(1, id);
                    delivery.setString(2, "dlv_" + id);
                    delivery.setLong(3, id);
                    delivery.setLong(4, id % 100);
                    delivery.setLong(5, now);
                    delivery.setLong(6, now);
                    delivery.setLong(7, now);
                    delivery.addBatch();
                }
                event.executeBatch();
                delivery.executeBatch();
                long committing = System.nanoTime();
                c.commit();
                commitNanos[commits++] = System.nanoTime() - committing;
                for (int id = from; id < to; id++) {
                    attempt.setLong(1, id);
                    attempt.setLong(2, id);
                    attempt.setLong(3, now);
                    attempt.addBatch();
                    delivered.setLong(1, now);
                    delivered.setLong(2, id);
                    delivered.addBatch();
                }
                attempt.executeBatch();
                delivered.executeBatch();
                committing = System.nanoTime();
                c.commit();
                commitNanos[commits++] = System.nanoTime() - committing;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Rates(deliveries / seconds, deliveries * 4.0 / seconds,
                new Percentiles(Arrays.copyOf(commitNanos, commits)));
    }
}

package dev.herald.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import com.zaxxer.hikari.pool.HikariPool;
import dev.herald.store.Store;
import dev.herald.store.StoreException;
import dev.herald.store.StoreUnavailableException;
import dev.herald.store.jdbc.Dialect;
import dev.herald.store.jdbc.JdbcStore;
import dev.herald.store.jdbc.Migrations;
import dev.herald.store.jdbc.StatementCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** The cluster store: any number of Herald nodes share one PostgreSQL database, migrated on open. */
public final class PostgresStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    private static final long CONNECTION_TIMEOUT_MILLIS = 5_000;
    /**
     * SKIP LOCKED: concurrent claimers on other nodes pass over rows another claimer is taking; the claim leases
     * the rows it takes of these in the same transaction (see JdbcDeliveries).
     */
    private static final String CLAIM_DUE = Dialect.CLAIM_DUE + "\nFOR UPDATE SKIP LOCKED";
    /**
     * FIFO heads (Dialect#claimHeads), locked as the claim locks them: a FIFO endpoint's delivery is claimed only while
     * no pending delivery of that endpoint has a smaller sequence, so the head's lease is the endpoint's lane lease
     * (one node, one request in flight; a dead node's lease expires). A head another claimer is locking is skipped,
     * and what is behind it is not the head, so not claimed either. The ids are an array, not an IN subquery:
     * from an IN subquery the planner chose a hash join fed by a scan of every due FIFO delivery, the very backlog
     * the heads' claim is to pass over (20,000 rows read for one head); against an array it reads the heads by key.
     */
    private static final String CLAIM_HEADS = Dialect.claimHeads("id = ANY(ARRAY(%s))") + "\nFOR UPDATE SKIP LOCKED";
    /**
     * The claim past endpoints with full lanes (Dialect#claimOthers), each endpoint's oldest due deliveries read
     * through deliveries_endpoint_due by a LATERAL subquery; the rows found are locked as the claim locks them.
     */
    private static final String CLAIM_OTHERS = Dialect.claimOthers("""
                    SELECT y.id FROM unordered u CROSS JOIN LATERAL (
                        SELECT x.id FROM deliveries x
                        WHERE x.endpoint_id = u.endpoint_id AND x.state = 'pending' AND x.sequence IS NULL
                          AND x.next_attempt_at <= ? AND (x.lease_until IS NULL OR x.lease_until <= ?)
                        ORDER BY x.next_attempt_at LIMIT ?) y
                    WHERE u.endpoint_id NOT IN (%s)""") + "\nFOR UPDATE SKIP LOCKED";
    /**
     * The rows are locked in key order first, as every other multi-row writer of deliveries locks them, so a give-back
     * never waits in a cycle with another node's batch.
     */
    private static final String GIVE_BACK = """
            UPDATE deliveries SET lease_until = ?
            WHERE id IN (SELECT id FROM deliveries WHERE id IN (%s) AND state = 'pending' AND lease_owner = ?
                         ORDER BY id FOR NO KEY UPDATE)""";
    /**
     * The claim must walk the due index in order and stop after {@code limit} rows. When a paused endpoint's
     * backlog is resumed, hundreds of thousands of rows become due at once, before statistics catch up; the planner
     * then estimated a few hundred due rows, chose a bitmap scan over all of them plus a sort, and each claim took
     * 100-300 ms of the server's CPU (seen in the bench at 300,000 pending). Bitmap scans are off for the claim's
     * transaction only.
     */
    private static final String BEFORE_CLAIM = "SET LOCAL enable_bitmapscan = off";
    /**
     * A batch of attempt results in one round trip (seven statements sent together, each binding arrays, so one
     * execution per statement however large the batch), where row by row the attempt writer, one thread, waited for
     * five round trips and the server ran one INSERT per attempt and one UPDATE per endpoint (issue 25).
     * <p>
     * In order: the deliveries locked in key order, as the give-back, an account's purge and the bulk changes
     * (DeliveriesUpdate) lock them, so two nodes' batches never wait for each other in a cycle; the lock is FOR NO KEY
     * UPDATE, the one the UPDATE below takes anyway. Then the attempts, joined to their (now locked, so not deleted
     * before this commits) deliveries: one whose delivery is gone inserts no row, and each takes its endpoint and its
     * {@code manual} mark from the delivery, before the update clears the mark (the attempts' endpoint needs no
     * foreign key; V16). Then the deliveries updated from the arrays. Then the retried deliveries of endpoints whose
     * circuit is open are held (rows this transaction already locked; an empty array when no attempt is retried).
     * Then the endpoints' counters, locked in id order first for the same reason, move by the batch's deltas (a
     * success in the batch resets the failure streak first), and last the endpoints' standings are read back as this
     * transaction sees them.
     */
    private static final String RECORD_ATTEMPTS = """
            SELECT id FROM deliveries WHERE id = ANY(?) ORDER BY id FOR NO KEY UPDATE;
            INSERT INTO attempts (delivery_id, endpoint_id, number, attempted_at, duration_ms, response_status,
                                  response_body, error_class, error_message, manual)
            SELECT d.id, d.endpoint_id, a.number, a.attempted_at, a.duration_ms, a.response_status, a.response_body,
                   a.error_class, a.error_message, CASE WHEN a.first_of_delivery THEN d.manual_retry ELSE 0 END
            FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[],
                        ?::text[], ?::boolean[])
                 WITH ORDINALITY AS a(delivery_id, number, attempted_at, duration_ms, response_status, response_body,
                                      error_class, error_message, first_of_delivery, position)
            JOIN deliveries d ON d.id = a.delivery_id
            ORDER BY a.position;
            UPDATE deliveries AS d
            SET state = v.state, attempts = v.attempts, next_attempt_at = v.next_attempt_at, lease_owner = NULL,
                lease_until = NULL, first_failed_at = COALESCE(d.first_failed_at, v.failed_at), updated_at = v.updated_at,
                manual_retry = 0
            FROM unnest(?::bigint[], ?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[])
                 AS v(id, state, attempts, next_attempt_at, failed_at, updated_at)
            WHERE d.id = v.id AND d.state = 'pending';
            UPDATE deliveries SET next_attempt_at = NULL
            WHERE id = ANY(?) AND state = 'pending' AND next_attempt_at IS NOT NULL
              AND EXISTS (SELECT 1 FROM endpoints e
                          WHERE e.id = deliveries.endpoint_id AND e.circuit = 'open'
                            AND (e.circuit_probe IS NULL OR e.circuit_probe <> deliveries.id));
            SELECT endpoint_id FROM endpoint_stats WHERE endpoint_id = ANY(?) ORDER BY endpoint_id FOR NO KEY UPDATE;
            UPDATE endpoint_stats AS s
            SET successful = s.successful + v.successes, failed = s.failed + v.failures,
                consecutive_failures = CASE WHEN v.streak_reset THEN v.streak ELSE s.consecutive_failures + v.streak END,
                last_success_at = COALESCE(v.last_success_at, s.last_success_at),
                last_failure_at = COALESCE(v.last_failure_at, s.last_failure_at),
                last_attempt_at = v.last_attempt_at, last_error = COALESCE(v.last_error, s.last_error)
            FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[], ?::bigint[], ?::bigint[], ?::bigint[],
                        ?::bigint[], ?::text[])
                 AS v(endpoint_id, successes, failures, streak_reset, streak, last_success_at, last_failure_at,
                      last_attempt_at, last_error)
            WHERE s.endpoint_id = v.endpoint_id;
            SELECT s.endpoint_id, s.successful, s.failed, s.consecutive_failures, s.last_success_at,
                   s.last_failure_at, s.last_attempt_at, s.last_error, e.status, e.circuit
            FROM endpoint_stats s JOIN endpoints e ON e.id = s.endpoint_id WHERE s.endpoint_id = ANY(?)""";
    private static final Dialect DIALECT = new Dialect("postgres", CLAIM_DUE, CLAIM_HEADS, CLAIM_OTHERS, GIVE_BACK,
            Optional.of(BEFORE_CLAIM), Optional.of(RECORD_ATTEMPTS), "convert_from(?, 'UTF8')", "\nFOR UPDATE",
            "\nFOR NO KEY UPDATE");

    private PostgresStore() {
    }

    /** Recording's statements, in the order they are sent. */
    static List<String> recordingStatements() {
        return List.of(RECORD_ATTEMPTS.split(";\n"));
    }

    /** The statements this store sends where the dialects differ: the claim's tests explain their plans. */
    public static Dialect dialect() {
        return DIALECT;
    }

    /**
     * Opens a pool of {@code poolSize} connections and migrates the schema named by the URL's
     * {@code currentSchema} (created when missing), else {@code public}.
     */
    public static Store open(String jdbcUrl, int poolSize) {
        return open(jdbcUrl, poolSize, Optional.empty());
    }

    /**
     * Like {@link #open(String, int)}, and the pool reports its metrics ({@code hikaricp_connections},
     * {@code hikaricp_connections_pending}, acquire and usage timers…) to {@code registry}, as does the count of
     * statements sent ({@code herald_store_statements_total}).
     */
    public static Store open(String jdbcUrl, int poolSize, MeterRegistry registry) {
        return open(jdbcUrl, poolSize, Optional.of(registry));
    }

    private static Store open(String jdbcUrl, int poolSize, Optional<MeterRegistry> registry) {
        return open(jdbcUrl, poolSize, registry, GrowthAnalyzer.INTERVAL);
    }

    /** As above, the tables' growth looked at every {@code analyzeEvery} (tests look themselves). */
    static Store open(String jdbcUrl, int poolSize, Optional<MeterRegistry> registry, Duration analyzeEvery) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be positive");
        }
        var config = poolConfig(jdbcUrl, poolSize);
        registry.ifPresent(r -> config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(r)));
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new StoreUnavailableException("store: cannot connect to PostgreSQL at " + redacted(jdbcUrl), e);
        }
        try {
            migrate(pool, currentSchema(jdbcUrl));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        LOG.info("store: postgres opened at {} with {} connections", redacted(jdbcUrl), poolSize);
        autovacuum(pool).flatMap(PostgresStore::autovacuumWarning).ifPresent(LOG::warn);
        var statements = StatementCounter.create();
        registry.ifPresent(r -> statements.bindTo(r, DIALECT.kind()));
        return JdbcStore.create(DIALECT, new PostgresConnections(pool, statements, analyzeEvery));
    }

    /** The server's {@code autovacuum} setting; empty when it could not be read (the store works without it). */
    private static Optional<String> autovacuum(HikariDataSource pool) {
        try (var connection = pool.getConnection(); var statement = connection.createStatement();
             var rs = statement.executeQuery("SHOW autovacuum")) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            LOG.debug("store: postgres autovacuum setting not read: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A warning when the server's autovacuum is off: each delivery's updates leave dead rows behind (two per delivery),
     * which only a vacuum reclaims, so the queue's tables and indexes grow and slow down until someone vacuums.
     */
    static Optional<String> autovacuumWarning(String setting) {
        if (!"off".equalsIgnoreCase(setting.trim())) {
            return Optional.empty();
        }
        return Optional.of("store: PostgreSQL's autovacuum is off: the rows each delivery's updates leave behind are "
                + "never reclaimed, and the deliveries, events and attempts tables and their indexes grow and slow "
                + "down until vacuumed; turn autovacuum on, or run VACUUM (ANALYZE) on them on a schedule");
    }

    /** The connection pool's settings for {@code jdbcUrl}. */
    static HikariConfig poolConfig(String jdbcUrl, int poolSize) {
        var config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(false);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setPoolName("herald-postgres");
        // A batch of attempt rows goes to the server as multi-row INSERTs instead of one INSERT per row: the
        // bench's pg_stat_statements showed one execution per attempt, the second-largest server time, and
        // fan-out 1 went from 4,010 to 4,518 deliveries/s. Batched inserts then report no per-row counts
        // (SUCCESS_NO_INFO); none of our batches reads them.
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return config;
    }

    private static void migrate(HikariDataSource pool, Optional<String> schema) {
        long started = System.nanoTime();
        if (isCurrent(pool)) {
            LOG.info("store: postgres schema {} at version {} (current: no migration to apply, checked in {} ms)",
                    schema.orElse("public"), Migrations.LATEST_VERSION, (System.nanoTime() - started) / 1_000_000);
            return;
        }
        try {
            var flyway = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/postgres")
                    .createSchemas(true);
            schema.ifPresent(flyway::schemas);
            var result = flyway.load().migrate();
            LOG.info("store: postgres schema {} at version {} ({} migrations applied in {} ms)", schema.orElse("public"),
                    Migrations.versionAfter(result), result.migrationsExecuted,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (FlywayException e) {
            throw new StoreException("store: cannot migrate the PostgreSQL schema " + schema.orElse("public"), e);
        }
    }

    /** Reads the history where Flyway writes it: the URL's {@code currentSchema}, which leads the search path. */
    private static boolean isCurrent(HikariDataSource pool) {
        try (var connection = pool.getConnection()) {
            try {
                return Migrations.isCurrent(connection);
            } finally {
                connection.rollback(); // the pool's connections do not commit by themselves
            }
        } catch (SQLException e) {
            return false; // Flyway connects again and says what is wrong
        }
    }

    /** The first schema of the URL's {@code currentSchema} parameter, which Flyway must migrate and create. */
    private static Optional<String> currentSchema(String jdbcUrl) {
        Properties parsed = Driver.parseURL(jdbcUrl, new Properties());
        if (parsed == null) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL");
        }
        return Optional.ofNullable(parsed.getProperty("currentSchema"))
                .map(s -> s.split(",")[0].strip())
                .filter(s -> !s.isEmpty());
    }

    /** The URL without its query, which may carry a password. */
    private static String redacted(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}

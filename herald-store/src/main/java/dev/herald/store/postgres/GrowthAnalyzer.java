package dev.herald.store.postgres;

import dev.herald.store.jdbc.SqlWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Analyzes the queue's tables when they grow faster than autovacuum analyzes them. A connection's prepared statement
 * settles on one generic plan after five executions and keeps it until its tables' next ANALYZE. Planned while
 * deliveries was young (a new schema taking load at once: autovacuum looks once a minute), the statements recording
 * attempts hashed every batch against a scan of all deliveries, and went on doing so as the table grew: in one minute
 * of the bench, 463 of them took over 15 ms each and the server's CPU per delivery was two to three times its usual.
 * Planning every batch afresh instead cost the server up to half as much again at fan-out 10, for good.
 *
 * <p>Every few seconds this reads how many rows of each table changed since its last ANALYZE, by whoever, and
 * analyzes a table that holds twice the rows it held then, or whose changes since then are at least as many as its
 * live rows (not the endpoints, updated at each FIFO publish and circuit step), with at least {@value #MIN_CHANGED}
 * changes: about each time a young table doubles (a delivery is changed twice, inserted and then updated; an
 * attempt or an endpoint is inserted), and never once a table is large and grows at a usual pace, which autovacuum
 * (at a tenth) keeps up with. ANALYZE samples a bounded number of rows, blocks no reader or writer, and skips a table
 * another session is analyzing; the plans kept for the table are made again at their next use.
 */
final class GrowthAnalyzer implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final long MIN_CHANGED = 1_000;
    /**
     * The tables every publish and attempt writes, and the endpoints, which recording's statements read by key with
     * the plans they keep (PostgresStore's RECORD_ATTEMPTS): those change at the pace of an API, but a platform may
     * create thousands at once.
     */
    private static final String[] TABLES = {"deliveries", "endpoints", "events", "attempts"};
    /**
     * The endpoints' counters: a row per endpoint, so the table grows with the endpoints and is analyzed with them
     * (its every row is updated at each batch of attempts, which by the rule above would analyze it every look).
     */
    private static final String GROWS_WITH_ENDPOINTS = "endpoint_stats";
    /** Binds the table names; only those come back, so a name analyzed is always one of them. */
    private static final String CHANGES = """
            SELECT s.relname, s.n_live_tup, s.n_mod_since_analyze, GREATEST(c.reltuples, 0) AS analyzed_rows
            FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = current_schema() AND s.relname = ANY(?)
            ORDER BY s.relname""";
    private static final Logger LOG = LoggerFactory.getLogger(GrowthAnalyzer.class);

    private final ScheduledExecutorService timer;

    private GrowthAnalyzer(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Looks every {@code interval}, on a connection {@code connections} lends (not counted as the store's work). */
    static GrowthAnalyzer start(ConnectCircuit connections, Duration interval) {
        var timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "herald-store-analyze");
            thread.setDaemon(true);
            return thread;
        });
        SqlWork<List<String>> pass = GrowthAnalyzer::analyzeGrown;
        timer.scheduleWithFixedDelay(() -> {
            try {
                List<String> analyzed = connections.withConnection(pass);
                if (!analyzed.isEmpty()) {
                    LOG.debug("store: analyzed {}, changed by as many rows as they hold since their last analysis",
                            analyzed);
                }
            } catch (SQLException | RuntimeException e) {
                // the database down, or busy: autovacuum still analyzes, later
                LOG.debug("store: could not look at the tables' growth: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new GrowthAnalyzer(timer);
    }

    /**
     * One look: analyzes each of the queue's tables in the connection's current schema that doubled since its last
     * ANALYZE or (but the endpoints) changed by as many rows as it holds, with at least {@value #MIN_CHANGED} changes,
     * and the endpoints' counters with the endpoints; returns their names, in name order.
     */
    static List<String> analyzeGrown(Connection c) throws SQLException {
        var grown = new ArrayList<String>();
        try (var ps = c.prepareStatement(CHANGES)) {
            ps.setArray(1, c.createArrayOf("text", TABLES));
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    long live = rs.getLong("n_live_tup");
                    long changed = rs.getLong("n_mod_since_analyze");
                    boolean doubled = live >= 2 * rs.getLong("analyzed_rows");
                    // the endpoints are updated at each FIFO publish and circuit step: only their growth counts
                    boolean rewritten = !"endpoints".equals(rs.getString("relname")) && changed >= live;
                    if (changed >= MIN_CHANGED && (doubled || rewritten)) {
                        grown.add(rs.getString("relname"));
                    }
                }
            }
        }
        if (grown.contains("endpoints")) {
            grown.add(GROWS_WITH_ENDPOINTS);
            grown.sort(null);
        }
        for (String table : grown) {
            try (var st = c.createStatement()) {
                st.execute("ANALYZE (SKIP_LOCKED) " + table);
            }
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
        return grown;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

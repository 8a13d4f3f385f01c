package dev.herald.store.postgres;

import dev.herald.store.Store;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection runs the statements that record a batch of attempts while deliveries is young, until it keeps their
 * plans; the table then grows to 50,000 deliveries, faster than autovacuum looks. Left so, the kept plans hash each
 * batch against a scan of every delivery (seen in the bench: 463 statements over 15 ms in one minute). The analyzer's
 * look finds the table grown, analyzes it, and the same connection's statements read deliveries by key again.
 */
class GrowthAnalyzerTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final int DELIVERIES = 40;
    private static final int GROWN_BY = 50_000;
    private static final int BATCH = 100;
    /** More than the executions after which a prepared statement may keep a generic plan. */
    private static final int EXECUTIONS_BEFORE = 8;
    /** A parameter and the array type its cast names; a bare one ({@code = ANY(?)}) binds ids. */
    private static final Pattern PARAMETER = Pattern.compile("\\?(?:::(\\w+)\\[])?");
    private static final String GROW = """
            INSERT INTO deliveries (public_id, account_id, event_id, endpoint_id, state, attempts, created_at,
                                    updated_at)
            SELECT 'grown_' || g || '_' || d.id, d.account_id, d.event_id, d.endpoint_id, 'delivered', 1, d.created_at,
                   d.updated_at
            FROM deliveries d CROSS JOIN generate_series(1, ?) g""";

    private String url;
    private String schema;
    private Store store;

    @AfterEach
    void close() throws SQLException {
        if (store != null) {
            store.close();
        }
        if (schema != null) {
            try (var c = DriverManager.getConnection(url); var st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void aTableThatOutgrewItsStatisticsIsAnalyzedAndKeptPlansReadItByKeyAgain() throws Exception {
        String schemaUrl = openStoreInASchemaOfItsOwn();
        var tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/hook", NOW);
        for (int i = 0; i < DELIVERIES; i++) {
            TestData.publish(store, tenant, "job.completed", NOW, endpoint);
        }
        var statements = PostgresStore.recordingStatements();
        var batch = LongStream.rangeClosed(1, BATCH).boxed().toArray(Long[]::new);

        try (var c = DriverManager.getConnection(schemaUrl)) {
            try (var st = c.createStatement()) {
                // autovacuum would analyze the tables at a moment of its own: this test's looks are the only ones
                for (String table : List.of("deliveries", "events", "attempts")) {
                    st.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
                }
            }
            prepareRecording(c, statements);
            for (int round = 0; round < EXECUTIONS_BEFORE; round++) {
                plans(c, statements.size(), batch);
            }
            try (var grow = c.prepareStatement(GROW)) {
                grow.setInt(1, GROWN_BY / DELIVERIES);
                assertThat(grow.executeUpdate()).isEqualTo(GROWN_BY);
            }
            try (var st = c.createStatement()) {
                st.execute("SELECT pg_stat_force_next_flush()"); // this connection's counts, handed in when idle
            }
            assertThat(unkeyedReadsOfDeliveries(plans(c, statements.size(), batch)))
                    .as("the kept plans after the growth, before any analysis").isNotEmpty();

            assertThat(GrowthAnalyzer.analyzeGrown(c)).as("tables analyzed by the look").containsExactly("deliveries");
            assertThat(GrowthAnalyzer.analyzeGrown(c)).as("a second look: nothing grew since").isEmpty();

            String plans = plans(c, statements.size(), batch);
            assertThat(plans).as("the same connection's plans after the look").contains("deliveries_pkey");
            assertThat(unkeyedReadsOfDeliveries(plans)).as("reads of deliveries with no key to seek\n" + plans)
                    .isEmpty();
        }
    }

    /**
     * Recording's statements read the endpoints' counters and the endpoints by key with the plans they keep: kept
     * while a platform had one endpoint, they would scan all of them once it has thousands. The endpoints grown to
     * twice their rows are analyzed, their counters with them, and the kept plans read both by key again.
     */
    @Test
    void endpointsGrownAreAnalyzedWithTheirCountersAndKeptPlansReadThemByKeyAgain() throws Exception {
        String schemaUrl = openStoreInASchemaOfItsOwn();
        var tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/hook", NOW);
        TestData.publish(store, tenant, "job.completed", NOW, endpoint);
        var statements = PostgresStore.recordingStatements();
        var batch = LongStream.rangeClosed(1, BATCH).boxed().toArray(Long[]::new);

        try (var c = DriverManager.getConnection(schemaUrl)) {
            try (var st = c.createStatement()) {
                for (String table : List.of("endpoints", "endpoint_stats")) {
                    st.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
                    st.execute("ANALYZE " + table); // one row each, as a platform's first endpoint leaves them
                }
            }
            prepareRecording(c, statements);
            for (int round = 0; round < EXECUTIONS_BEFORE; round++) {
                plans(c, statements.size(), batch);
            }
            assertThat(unkeyedReads(plans(c, statements.size(), batch), "endpoint_stats"))
                    .as("plans kept with one endpoint").isNotEmpty();
            try (var st = c.createStatement()) {
                st.executeUpdate("""
                        INSERT INTO endpoints (uuid, public_id, account_id, url, event_types, status, created_by, headers,
                                               created_at, updated_at)
                        SELECT uuid || '-' || g, public_id || '_' || g, account_id, url, event_types, status, created_by,
                               headers, created_at, updated_at
                        FROM endpoints CROSS JOIN generate_series(1, %d) g""".formatted(GROWN_BY));
                st.executeUpdate("INSERT INTO endpoint_stats (endpoint_id) SELECT id FROM endpoints"
                        + " WHERE id NOT IN (SELECT endpoint_id FROM endpoint_stats)");
                st.execute("SELECT pg_stat_force_next_flush()");
            }

            assertThat(GrowthAnalyzer.analyzeGrown(c)).as("tables analyzed by the look")
                    .containsExactly("endpoint_stats", "endpoints");
            String plans = plans(c, statements.size(), batch);
            assertThat(plans).contains("endpoint_stats_pkey").contains("endpoints_pkey");
            assertThat(unkeyedReads(plans, "endpoint_stats")).as("reads of the counters with no key\n" + plans).isEmpty();
            assertThat(unkeyedReads(plans, "endpoints")).as("reads of the endpoints with no key\n" + plans).isEmpty();
        }
    }

    /** Opens the store in a new schema, its own look at the tables an hour away (the tests look themselves). */
    private String openStoreInASchemaOfItsOwn() {
        url = TestStores.postgresUrl();
        TestStores.requirePostgres(url);
        schema = "growth_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        store = PostgresStore.open(schemaUrl, 2, Optional.empty(), Duration.ofHours(1));
        return schemaUrl;
    }

    /** Recording's statements prepared on {@code c}. */
    private static void prepareRecording(Connection c, List<String> statements) throws SQLException {
        for (int i = 0; i < statements.size(); i++) {
            prepare(c, "batch_" + i, statements.get(i));
        }
    }

    private static List<String> unkeyedReadsOfDeliveries(String plans) {
        return unkeyedReads(plans, "deliveries");
    }

    /** The plan nodes reading {@code table} that seek no key: scans whose next line is no index condition. */
    private static List<String> unkeyedReads(String plans, String table) {
        var lines = plans.lines().toList();
        return IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).matches(".*Scan (using \\S+ )?on " + table + " .*"))
                .filter(i -> i + 1 == lines.size() || !lines.get(i + 1).matches("\\s*(Index|Recheck) Cond: .*"))
                .mapToObj(lines::get).toList();
    }

    /** {@code sql} prepared as {@code name}, its parameters numbered (the casts kept). */
    private static void prepare(Connection c, String name, String sql) throws SQLException {
        var numbered = new StringBuilder();
        var matcher = PARAMETER.matcher(sql);
        int n = 0;
        while (matcher.find()) {
            n++;
            matcher.appendReplacement(numbered, "\\$" + n + (matcher.group(1) == null ? "" : "::$1[]"));
        }
        matcher.appendTail(numbered);
        try (var st = c.createStatement()) {
            st.execute("PREPARE " + name + " AS " + numbered);
        }
    }

    /**
     * The plans the prepared statements run with (EXPLAIN EXECUTE, which counts as an execution), each parameter an
     * array of {@code batch}'s length of the type its statement gives it, in a transaction rolled back.
     */
    private static String plans(Connection c, int statements, Long[] batch) throws SQLException {
        var plans = new StringBuilder();
        c.setAutoCommit(false);
        try (var st = c.createStatement()) {
            for (int i = 0; i < statements; i++) {
                String arguments;
                try (var types = c.prepareStatement("""
                        SELECT string_agg(quote_literal(CASE t::text
                                   WHEN 'bigint[]' THEN ? WHEN 'integer[]' THEN ? WHEN 'text[]' THEN ? ELSE ? END),
                               ', ' ORDER BY n)
                        FROM pg_prepared_statements, unnest(parameter_types) WITH ORDINALITY AS p(t, n)
                        WHERE name = ?""")) {
                    types.setString(1, literal(batch, null));
                    types.setString(2, literal(batch, null));
                    types.setString(3, literal(batch, "delivered"));
                    types.setString(4, literal(batch, "t"));
                    types.setString(5, "batch_" + i);
                    try (var rs = types.executeQuery()) {
                        rs.next();
                        arguments = rs.getString(1);
                    }
                }
                try (var rs = st.executeQuery("EXPLAIN EXECUTE batch_" + i + "(" + arguments + ")")) {
                    while (rs.next()) {
                        plans.append(rs.getString(1)).append('\n');
                    }
                }
                plans.append('\n');
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        return plans.toString();
    }

    /** An array literal of {@code batch}'s length: its keys, or {@code element} as often. */
    private static String literal(Long[] batch, String element) {
        return Stream.of(batch).map(key -> element == null ? key.toString() : element)
                .collect(Collectors.joining(",", "{", "}"));
    }
}

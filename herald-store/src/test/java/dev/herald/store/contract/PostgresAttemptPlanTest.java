package dev.herald.store.contract;

import dev.herald.store.Store;
import dev.herald.store.postgres.PostgresStore;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recording attempts on PostgreSQL plans its statements for each batch, so they read deliveries by key once the table
 * has grown. A connection's prepared statement otherwise switches to one generic plan after five executions and keeps
 * it until the next ANALYZE: one made while deliveries was young answered the attempts' INSERT and the deliveries'
 * UPDATE with a hash join over a scan of every delivery, and went on doing so as the table grew (the bench: 463 such
 * statements over 15 ms in one minute, up to 200,000 rows read each). Here a connection runs the batch's statements
 * on a young table until it would keep their plans, the table grows to 50,000 deliveries with no ANALYZE, and the
 * statements are explained as the batch runs them (in a transaction after the settings that open it).
 */
class PostgresAttemptPlanTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final int DELIVERIES = 40;
    private static final int GROWN_BY = 50_000;
    private static final int BATCH = 100;
    /** More than the executions after which a prepared statement may keep a generic plan. */
    private static final int EXECUTIONS_BEFORE = 8;
    /** A parameter and the array type its cast names; a bare one ({@code = ANY(?)}) binds ids. */
    private static final Pattern PARAMETER = Pattern.compile("\\?(?:::(\\w+)\\[])?");
    private static final String GROW = """
            INSERT INTO deliveries (public_id, account_id, event_id, endpoint_id, state, attempts, created_at, updated_at)
            SELECT 'grown_' || g || '_' || d.id, d.account_id, d.event_id, d.endpoint_id, 'delivered', 1, d.created_at,
                   d.updated_at
            FROM deliveries d CROSS JOIN generate_series(1, ?) g""";

    private Store store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aBatchReadsDeliveriesByKeyAfterTheTableGrewUnderAConnectionThatRanItYoung() throws Exception {
        store = TestStores.postgres();
        var tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/hook", NOW);
        for (int i = 0; i < DELIVERIES; i++) {
            TestData.publish(store, tenant, "job.completed", NOW, endpoint);
        }
        var batch = LongStream.rangeClosed(1, BATCH).boxed().toArray(Long[]::new);
        var statements = List.of(PostgresStore.dialect().recordAttemptsSql().orElseThrow().split(";\n"));
        var settings = statements.stream().filter(s -> s.strip().startsWith("SET ")).toList();
        var batchStatements = statements.stream().filter(s -> !settings.contains(s)).toList();
        assertThat(batchStatements).as("the batch's statements").hasSize(7);

        try (var c = TestStores.connect(store, null)) {
            for (int i = 0; i < batchStatements.size(); i++) {
                prepare(c, "batch_" + i, batchStatements.get(i));
            }
            for (int round = 0; round < EXECUTIONS_BEFORE; round++) {
                plans(c, settings, batchStatements.size(), batch);
            }
            try (var grow = c.prepareStatement(GROW)) {
                grow.setInt(1, GROWN_BY / DELIVERIES);
                assertThat(grow.executeUpdate()).isEqualTo(GROWN_BY);
            }

            String plans = plans(c, settings, batchStatements.size(), batch);
            assertThat(plans).as("the batch's plans on the grown table").contains("deliveries_pkey")
                    .doesNotContain("Seq Scan on deliveries");
            assertThat(unkeyedReadsOfDeliveries(plans)).as("reads of deliveries with no key to seek\n" + plans)
                    .isEmpty();
        }
    }

    /** The plan nodes reading deliveries that seek no key: scans whose next line is no index condition. */
    private static List<String> unkeyedReadsOfDeliveries(String plans) {
        var lines = plans.lines().toList();
        return IntStream.range(0, lines.size())
                .filter(i -> lines.get(i).matches(".*Scan (using \\S+ )?on deliveries .*"))
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
     * The plans of the prepared batch statements, explained in one transaction after {@code settings}, as the batch
     * runs them; every parameter an array of {@code batch}'s length of the type its statement gives it.
     */
    private static String plans(Connection c, List<String> settings, int statements, Long[] batch) throws SQLException {
        var plans = new StringBuilder();
        c.setAutoCommit(false);
        try (var st = c.createStatement()) {
            for (String setting : settings) {
                st.execute(setting);
            }
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

package dev.herald.store.sqlite;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.AttemptRecord;
import dev.herald.store.EventDraft;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;
import dev.herald.store.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite adds deliveries and attempts to their endpoint's index in bulk (V14, V15): written unmarked, marked every
 * 10,000 rows, when the store opens and by its catch-up; a database written before has every row indexed.
 */
class SqliteBulkIndexTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final List<String> TABLES = List.of("deliveries", "attempts");

    @TempDir
    Path dir;

    @Test
    void rowsAreWrittenUnindexedAndTheCatchUpIndexesThemAndMovesTheMark() throws Exception {
        try (var store = SqliteStore.open(dir)) {
            recordAttempts(store, 3);
            for (String table : TABLES) {
                assertThat(unindexed(table)).as(table).isEqualTo(3);
                assertThat(unindexedAbove(table)).as(table).isEqualTo(3);
            }

            store.catchUp();

            assertEveryRowIndexed();
        }
    }

    @Test
    void writingMarksEveryRowOnceTenThousandWereWrittenSinceTheLastMarking() throws Exception {
        try (var store = SqliteStore.open(dir)) {
            var tenant = TestData.tenant(store, NOW);
            var endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
            int batch = 500;
            for (int recorded = 0; recorded < 10_000; recorded += batch) {
                for (String table : TABLES) {
                    assertThat(unindexed(table)).as("%s after %d", table, recorded).isEqualTo(recorded);
                }
                var drafts = new ArrayList<EventDraft>();
                for (int i = 0; i < batch; i++) {
                    drafts.add(TestData.draft(TestData.event(tenant, "job.completed", NOW), List.of(endpoint), NOW));
                }
                var records = new ArrayList<AttemptRecord>();
                for (var published : store.events().insert(drafts)) {
                    records.add(success(published.deliveries().getFirst().key(), endpoint.id()));
                }
                store.deliveries().recordAttempts(records);
            }

            assertEveryRowIndexed();
        }
    }

    @Test
    void openingTheStoreMarksWhatThePreviousRunLeftUnmarked() throws Exception {
        try (var store = SqliteStore.open(dir)) {
            recordAttempts(store, 3);
        }
        for (String table : TABLES) {
            assertThat(unindexed(table)).as(table).isEqualTo(3);
        }

        try (var store = SqliteStore.open(dir)) {
            assertEveryRowIndexed();
        }
    }

    @Test
    void rowsWrittenBeforeTheBulkIndexingAreIndexedByTheMigrations() throws Exception {
        var dataSource = OlderDatabase.migratedTo(dir, "13");
        long at = NOW.toEpochMilli();
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            OlderDatabase.writeTenantWithEvent(s, at);
            s.executeUpdate("INSERT INTO deliveries (id, public_id, account_id, event_id, endpoint_id, state,"
                    + " created_at, updated_at) VALUES (5, 'dlv_old', 1, 41, 3, 'delivered', " + at + ", " + at + ")");
            for (int id = 10; id < 13; id++) {
                s.executeUpdate("INSERT INTO attempts (id, delivery_id, endpoint_id, number, attempted_at, duration_ms,"
                        + " response_status, response_body) VALUES (" + id + ", 5, 3, 1, " + at + ", 5, 200, 'ok')");
            }
        }

        try (var store = SqliteStore.open(dir)) {
            assertThat(unindexed("attempts")).isZero();
            assertThat(mark("attempts")).isEqualTo(12);
            assertThat(unindexed("deliveries")).isZero();
            assertThat(mark("deliveries")).isEqualTo(5);
            assertThat(store.deliveries().countByState(new EndpointId(3))).containsEntry(DeliveryState.DELIVERED, 1L);
            assertThat(store.deliveries().attemptsOfEndpoint(new EndpointId(3), PageRequest.first(10)).items()).extracting(a -> a.attempt().id())
                    .containsExactly(12L, 11L, 10L);
        }
    }

    private static void recordAttempts(Store store, int count) {
        var tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        for (int i = 0; i < count; i++) {
            var delivery = TestData.publish(store, tenant, "job.completed", NOW, endpoint).deliveries().getFirst();
            store.deliveries().recordAttempts(List.of(success(delivery.key(), endpoint.id())));
        }
    }

    private static AttemptRecord success(long deliveryKey, EndpointId endpoint) {
        return new AttemptRecord(deliveryKey, endpoint, 1, NOW, 5, OptionalInt.of(200), "ok", Optional.empty(),
                Optional.empty(), DeliveryState.DELIVERED, Optional.empty());
    }

    private String url() {
        return "jdbc:sqlite:" + dir.resolve("herald.db");
    }

    /** Both tables: no row left unmarked, and the mark at the last row. */
    private void assertEveryRowIndexed() throws SQLException {
        for (String table : TABLES) {
            assertThat(unindexed(table)).as(table).isZero();
            assertThat(mark(table)).as(table).isEqualTo(last(table));
        }
    }

    private long unindexed(String table) throws SQLException {
        return single("SELECT COUNT(*) FROM " + table + " WHERE indexed = 0");
    }

    private long unindexedAbove(String table) throws SQLException {
        return single("SELECT COUNT(*) FROM " + table + " WHERE id > (SELECT upto FROM " + table + "_indexed_upto)");
    }

    private long mark(String table) throws SQLException {
        return single("SELECT upto FROM " + table + "_indexed_upto");
    }

    private long last(String table) throws SQLException {
        return single("SELECT MAX(id) FROM " + table);
    }

    private long single(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(url()); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package dev.herald.store.postgres;

import dev.herald.core.account.AccountStatus;
import dev.herald.store.Store;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No foreign key keeps an attempt from losing its delivery on PostgreSQL (V16); the protocol does: recording an
 * attempt locks its delivery before inserting the attempt, and an account's purge locks the deliveries it is about
 * to delete before it looks for their attempts again. Here an attempt is recorded, and committed, while the purge
 * waits for that delivery's lock: the purge must see it and leave the delivery for a later batch. (Deleting in the
 * statement that found the delivery attempt-free, as before V16, deleted it under its new attempt.)
 */
class PostgresPurgeRaceTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofHours(1));

    private final ExecutorService purger = Executors.newSingleThreadExecutor();
    private Store store;

    @AfterEach
    void close() {
        purger.shutdownNow();
        if (store != null) {
            store.close();
        }
    }

    @Test
    void anAttemptCommittedWhileThePurgeWaitsKeepsItsDeliveryUntilALaterBatch() throws Exception {
        store = TestStores.postgres();
        var tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        long key = TestData.publish(store, tenant, "job.completed", NOW, endpoint).deliveries().getFirst().key();
        assertThat(store.accounts().setStatus(tenant.accountId(), AccountStatus.DELETED)).isTrue();

        try (var recorder = TestStores.connect(store, null); var watcher = TestStores.connect(store, null)) {
            recorder.setAutoCommit(false);
            // what recording a batch does first (PostgresStore's RECORD_ATTEMPTS): lock, then insert by a join
            execute(recorder, "SELECT id FROM deliveries WHERE id = " + key + " FOR NO KEY UPDATE");
            execute(recorder, """
                    INSERT INTO attempts (delivery_id, endpoint_id, number, attempted_at, duration_ms, response_status,
                                          response_body)
                    SELECT id, endpoint_id, 1, 0, 5, 200, 'ok' FROM deliveries WHERE id = %d""".formatted(key));
            var purge = purger.submit(() -> store.accounts().purge(tenant.accountId(), LATER, 100));
            awaitWaiterForALock(watcher);
            assertThat(purge).isNotDone();
            recorder.commit();
            purge.get(10, TimeUnit.SECONDS);
        }

        assertThat(store.deliveries().findByKey(key)).as("the delivery, whose attempt the purge saw").isPresent();
        assertThat(store.deliveries().attempts(key)).hasSize(1);
        while (store.accounts().purge(tenant.accountId(), LATER, 100) > 0) {
            // later batches take the attempt, then the delivery, then the rest
        }
        assertThat(store.deliveries().findByKey(key)).isEmpty();
        try (var c = TestStores.connect(store, null); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM attempts")) {
            rs.next();
            assertThat(rs.getLong(1)).as("attempts left").isZero();
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Until a session of this database waits for a row lock (the purge, on the recorder's delivery). */
    private static void awaitWaiterForALock(Connection watcher) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (var st = watcher.createStatement(); var rs = st.executeQuery("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%deliveries%'""")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the purge never waited for the recorder's lock");
    }
}

package dev.herald.store.postgres;

import dev.herald.core.account.AccountStatus;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.store.AttemptRecord;
import dev.herald.store.Store;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.herald.store.postgres.SessionLocks.awaitBlockedBy;
import static dev.herald.store.postgres.SessionLocks.execute;
import static dev.herald.store.postgres.SessionLocks.lockAsRecordingDoes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What keeps an attempt from losing its delivery on PostgreSQL is an order of locks (so that a later migration can
 * drop the attempts' foreign key to their delivery; V16): recording attempts locks their deliveries before inserting
 * the attempts, and an account's purge locks the deliveries it is about to delete before it looks for their attempts
 * again. Each side is run here against the other holding its lock.
 */
class PostgresPurgeRaceTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofHours(1));

    private final ExecutorService other = Executors.newSingleThreadExecutor();
    private Store store;
    private TestTenant tenant;
    private long key;

    @BeforeEach
    void deletedAccountWithADelivery() {
        store = TestStores.postgres();
        tenant = TestData.tenant(store, NOW);
        var endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        key = TestData.publish(store, tenant, "job.completed", NOW, endpoint).deliveries().getFirst().key();
        assertThat(store.accounts().setStatus(tenant.accountId(), AccountStatus.DELETED)).isTrue();
    }

    @AfterEach
    void close() {
        other.shutdownNow();
        if (store != null) {
            store.close();
        }
    }

    /** (Deleting in the statement that found the delivery attempt-free, as before V16, deleted it under the attempt.) */
    @Test
    void anAttemptCommittedWhileThePurgeWaitsKeepsItsDeliveryUntilALaterBatch() throws Exception {
        String lockFirst = PostgresStore.dialect().recordAttemptsSql().orElseThrow().split(";\n")[0];
        assertThat(lockFirst).as("recording's first statement").contains("FOR NO KEY UPDATE")
                .isEqualTo(PostgresStore.recordingStatements().getFirst());
        try (var recorder = TestStores.connect(store, null); var watcher = TestStores.connect(store, null)) {
            recorder.setAutoCommit(false);
            lockAsRecordingDoes(recorder, key);
            execute(recorder, """
                    INSERT INTO attempts (delivery_id, endpoint_id, number, attempted_at, duration_ms, response_status,
                                          response_body)
                    SELECT id, endpoint_id, 1, 0, 5, 200, 'ok' FROM deliveries WHERE id = %d""".formatted(key));
            execute(recorder, "UPDATE deliveries SET state = 'delivered', attempts = 1, next_attempt_at = NULL"
                    + " WHERE id = " + key);
            var purge = other.submit(() -> store.accounts().purge(tenant.accountId(), LATER, 100));
            awaitBlockedBy(recorder, watcher);
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
        assertThat(attemptsLeft()).isZero();
    }

    /** (Inserting the attempts before locking, as before V16, inserted one for the delivery the purge deleted.) */
    @Test
    void attemptsRecordedWhileThePurgeHoldsTheirDeliveryAreNotStoredOnceItIsDeleted() throws Exception {
        try (var purger = TestStores.connect(store, null); var watcher = TestStores.connect(store, null)) {
            purger.setAutoCommit(false);
            // what the purge does to a delivery without attempts: lock it, then delete it
            execute(purger, "SELECT id FROM deliveries WHERE id = " + key + " FOR UPDATE");
            execute(purger, "DELETE FROM deliveries WHERE id = " + key);
            var record = new AttemptRecord(key, store.deliveries().findByKey(key).orElseThrow().endpointId(), 1, NOW,
                    5, OptionalInt.of(200), "ok", Optional.empty(), Optional.empty(), DeliveryState.DELIVERED,
                    Optional.empty());
            var recording = other.submit(() -> store.deliveries().recordAttempts(List.of(record)));
            awaitBlockedBy(purger, watcher);
            assertThat(recording).isNotDone();
            purger.commit();
            recording.get(10, TimeUnit.SECONDS);
        }

        assertThat(store.deliveries().findByKey(key)).isEmpty();
        assertThat(attemptsLeft()).as("attempts stored").isZero();
    }

    private long attemptsLeft() throws SQLException {
        try (var c = TestStores.connect(store, null); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM attempts")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

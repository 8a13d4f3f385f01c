package dev.herald.store.postgres;

import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.EndpointChanges;
import dev.herald.store.Store;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.herald.store.postgres.SessionLocks.awaitBlockedBy;
import static dev.herald.store.postgres.SessionLocks.execute;
import static dev.herald.store.postgres.SessionLocks.lockAsRecordingDoes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers of many deliveries at once lock them in key order on PostgreSQL, as recording a batch of attempt results
 * locks them (its first statement), so the two never wait for each other in a cycle. Each test has the recorder hold
 * the endpoint's first delivery while a bulk change of the endpoint's deliveries starts, with the rows laid out so
 * that the change's scan meets the second one first (earlier due, later in the heap), then has the recorder take
 * the second one as its batch would, with a lock timeout shorter than the server's deadlock timeout: a change that
 * locked in the order its scan met the rows holds the second one already (as before: the server then aborted one of
 * the two after a second, and it ran again).
 */
class PostgresLockOrderTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final ExecutorService other = Executors.newSingleThreadExecutor();
    private Store store;
    private TestTenant tenant;
    private EndpointId endpoint;
    private long first;
    private long second;

    @BeforeEach
    void endpointWithTwoPendingDeliveries() throws SQLException {
        store = TestStores.postgres();
        tenant = TestData.tenant(store, NOW);
        var target = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        endpoint = target.id();
        first = TestData.publish(store, tenant, "job.completed", NOW, target).deliveries().getFirst().key();
        second = TestData.publish(store, tenant, "job.completed", NOW, target).deliveries().getFirst().key();
        assertThat(first).isLessThan(second);
        try (var c = TestStores.connect(store, null); var st = c.createStatement()) {
            st.executeUpdate("UPDATE deliveries SET lease_owner = 'node_x' WHERE id IN (" + first + ", " + second + ")");
            // the first due later, and (its row rewritten last) after the second in the heap: any scan meets the
            // second first
            st.executeUpdate("UPDATE deliveries SET next_attempt_at = next_attempt_at + 3600000 WHERE id = " + first);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    @AfterEach
    void close() {
        other.shutdownNow();
        if (store != null) {
            store.close();
        }
    }

    @Test
    void pausingAnEndpoint() throws Exception {
        var paused = whileTheRecorderHoldsTheFirst(() -> store.endpoints()
                .changeStatus(endpoint, Set.of(EndpointStatus.ACTIVE), EndpointStatus.PAUSED, NOW));
        assertThat(paused.orElseThrow().deliveriesAffected()).isEqualTo(2);
        assertThat(store.deliveries().held(endpoint)).isEqualTo(2);
    }

    @Test
    void disablingAnEndpoint() throws Exception {
        var disabled = whileTheRecorderHoldsTheFirst(() -> store.endpoints()
                .changeStatus(endpoint, Set.of(EndpointStatus.ACTIVE), EndpointStatus.DISABLED, NOW));
        assertThat(disabled.orElseThrow().deliveriesAffected()).isEqualTo(2);
    }

    @Test
    void stoppingAnAccount() throws Exception {
        int held = whileTheRecorderHoldsTheFirst(() -> store.deliveries().holdAccount(tenant.accountId(), NOW));
        assertThat(held).isEqualTo(2);
    }

    @Test
    void releasingANodesLeases() throws Exception {
        int released = whileTheRecorderHoldsTheFirst(() -> store.deliveries().releaseLeases("node_x", NOW));
        assertThat(released).isEqualTo(2);
    }

    /** The circuit's probe is the first: opening holds the second, then makes the first due. */
    @Test
    void openingACircuitWithTheFirstAsItsProbe() throws Exception {
        assertThat(store.endpoints().changeStatus(endpoint, Set.of(EndpointStatus.ACTIVE), EndpointStatus.FAILING, NOW))
                .isPresent();
        var opened = whileTheRecorderHoldsTheFirst(() -> store.endpoints().openCircuit(endpoint, first, true, NOW));
        assertThat(opened.orElseThrow().deliveriesAffected()).isEqualTo(1);
        assertThat(store.deliveries().held(endpoint)).isEqualTo(1);
    }

    /**
     * The circuit open with the first as its probe (the second held): moving the endpoint releases what the circuit
     * held, then pausing it holds everything, two changes of its deliveries in one transaction.
     */
    @Test
    void movingAndPausingAnEndpointWhoseCircuitIsOpen() throws Exception {
        assertThat(store.endpoints().changeStatus(endpoint, Set.of(EndpointStatus.ACTIVE), EndpointStatus.FAILING, NOW))
                .isPresent();
        assertThat(store.endpoints().openCircuit(endpoint, first, true, NOW)).isPresent();
        assertThat(store.deliveries().held(endpoint)).isEqualTo(1);
        var changes = EndpointChanges.NONE.withUrl("https://example.com/moved").withStatus(EndpointStatus.PAUSED);
        var moved = whileTheRecorderHoldsTheFirst(() -> store.endpoints()
                .update(tenant.accountId(), endpoint, changes, NOW));
        assertThat(moved.orElseThrow().status()).isEqualTo(EndpointStatus.PAUSED);
        assertThat(store.deliveries().held(endpoint)).isEqualTo(2);
    }

    private <T> T whileTheRecorderHoldsTheFirst(Callable<T> change) throws Exception {
        Future<T> changing;
        try (var recorder = TestStores.connect(store, null); var watcher = TestStores.connect(store, null)) {
            recorder.setAutoCommit(false);
            lockAsRecordingDoes(recorder, first);
            changing = other.submit(change);
            awaitBlockedBy(recorder, watcher);
            assertThat(changing).isNotDone();
            // shorter than the deadlock timeout (1 s by default), after which the server would break a cycle itself
            execute(recorder, "SET LOCAL lock_timeout = '300ms'");
            lockAsRecordingDoes(recorder, second); // waits for nothing: the change, stopped at the first, has locked nothing else
            recorder.commit();
        }
        return changing.get(10, TimeUnit.SECONDS);
    }
}

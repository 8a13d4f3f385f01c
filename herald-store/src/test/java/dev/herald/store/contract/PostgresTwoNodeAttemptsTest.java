package dev.herald.store.contract;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.store.AttemptRecord;
import dev.herald.store.Store;
import dev.herald.store.jdbc.StatementCounter.Kind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Herald nodes on one PostgreSQL schema record attempt batches over the same deliveries and endpoints at the same
 * moment, given in opposite orders, on real threads. Each batch locks its rows in key order (deliveries, then
 * endpoint counters), so neither waits for the other in a cycle: no transaction is chosen as a deadlock victim and
 * rolled back (which the store would silently run again), and no counter update is lost. Locking the rows in the
 * order given instead made 7 of these 150 rounds deadlock; locking them FOR UPDATE (which also waits for the KEY SHARE
 * locks the other node's attempt inserts hold) made 25 of 40.
 */
class PostgresTwoNodeAttemptsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final int ROUNDS = 150;
    private static final int DELIVERIES = 60;

    private final SimpleMeterRegistry registryA = new SimpleMeterRegistry();
    private final SimpleMeterRegistry registryB = new SimpleMeterRegistry();
    private Store nodeA;
    private Store nodeB;

    @AfterEach
    void close() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
    }

    @Test
    void overlappingBatchesInOppositeOrdersNeverDeadlockAndLoseNoCount() throws Exception {
        nodeA = TestStores.postgres(registryA);
        nodeB = TestStores.postgresBeside(nodeA, registryB);
        var tenant = TestData.tenant(nodeA, NOW);
        var endpoints = List.of(TestData.endpoint(nodeA, tenant, "https://example.com/a", NOW),
                TestData.endpoint(nodeA, tenant, "https://example.com/b", NOW),
                TestData.endpoint(nodeA, tenant, "https://example.com/c", NOW));
        var deliveries = new ArrayList<Delivery>();
        for (int i = 0; i < DELIVERIES; i++) {
            deliveries.add(TestData.publish(nodeA, tenant, "job.completed", NOW, endpoints.get(i % endpoints.size()))
                    .deliveries().getFirst());
        }

        var barrier = new CyclicBarrier(2);
        try (var threads = Executors.newFixedThreadPool(2)) {
            var a = threads.submit(recordRounds(nodeA, barrier, deliveries));
            var b = threads.submit(recordRounds(nodeB, barrier, deliveries.reversed()));
            a.get();
            b.get();
        }

        assertThat(rollbacks(registryA) + rollbacks(registryB)).as("transactions rolled back (deadlock victims)")
                .isZero();
        long failed = 0;
        for (Endpoint endpoint : endpoints) {
            failed += nodeA.endpoints().find(tenant.accountId(), endpoint.id()).orElseThrow().stats().failed();
        }
        assertThat(failed).as("every attempt counted once").isEqualTo(2L * ROUNDS * DELIVERIES);
        for (Delivery delivery : deliveries) {
            var stored = nodeB.deliveries().findByKey(delivery.key()).orElseThrow();
            assertThat(stored.state()).isEqualTo(DeliveryState.PENDING);
            assertThat(stored.attempts()).isEqualTo(ROUNDS);
            assertThat(nodeB.deliveries().attempts(delivery.key())).hasSize(2 * ROUNDS);
        }
    }

    /** Each round, both nodes start together and record a failed attempt of every delivery, in the order given. */
    private static Callable<Void> recordRounds(Store node, CyclicBarrier barrier, List<Delivery> deliveries) {
        return () -> {
            for (int round = 1; round <= ROUNDS; round++) {
                var records = new ArrayList<AttemptRecord>(deliveries.size());
                for (Delivery d : deliveries) {
                    records.add(new AttemptRecord(d.key(), d.endpointId(), round, NOW.plusSeconds(round), 5,
                            OptionalInt.of(500), "err", Optional.of(ErrorClass.STATUS), Optional.of("HTTP 500"),
                            DeliveryState.PENDING, Optional.of(NOW.plusSeconds(60 + round))));
                }
                barrier.await();
                node.deliveries().recordAttempts(records);
            }
            return null;
        };
    }

    private static long rollbacks(SimpleMeterRegistry registry) {
        var counter = registry.find("herald.store.statements").tag("kind", Kind.ROLLBACK.label()).functionCounter();
        return counter == null ? 0 : (long) counter.count();
    }
}

package dev.herald.store.contract;

import dev.herald.core.endpoint.Endpoint;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
import dev.herald.store.Store;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Several Herald nodes share one PostgreSQL: concurrent claimers must never get the same delivery. */
class PostgresClaimConcurrencyTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private Store store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void concurrentClaimersGetDisjointDeliveries() throws Exception {
        store = TestStores.postgres();
        var tenant = TestData.tenant(store, NOW);
        Endpoint endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        var drafts = new ArrayList<EventDraft>();
        for (int i = 0; i < 300; i++) {
            drafts.add(TestData.draft(TestData.event(tenant, "job.completed", NOW), List.of(endpoint),
                    NOW.minusMillis(i)));
        }
        store.events().insert(drafts);

        var start = new CountDownLatch(1);
        try (var executor = Executors.newFixedThreadPool(2)) {
            var a = executor.submit(claimAll(start, "node-a"));
            var b = executor.submit(claimAll(start, "node-b"));
            start.countDown();
            Set<Long> claimedByA = a.get();
            Set<Long> claimedByB = b.get();

            assertThat(claimedByA).doesNotContainAnyElementsOf(claimedByB);
            assertThat(claimedByA.size() + claimedByB.size()).isEqualTo(300);
        }
    }

    private Callable<Set<Long>> claimAll(CountDownLatch start, String owner) {
        return () -> {
            start.await();
            var keys = new HashSet<Long>();
            var lease = new Lease(owner, NOW.plusSeconds(600));
            List<ClaimedDelivery> batch;
            do {
                batch = store.deliveries().claimDue(lease, NOW, 7);
                batch.forEach(c -> keys.add(c.delivery().key()));
            } while (!batch.isEmpty());
            return keys;
        };
    }
}

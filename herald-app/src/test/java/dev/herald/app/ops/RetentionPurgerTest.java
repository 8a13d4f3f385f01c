package dev.herald.app.ops;

import dev.herald.core.account.AccountStatus;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.store.AttemptRecord;
import dev.herald.store.Lease;
import dev.herald.store.PublishedEvent;
import dev.herald.store.Store;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import dev.herald.store.testing.TestTenant;
import dev.herald.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One purge pass against a real SQLite store, with the clock placed past the retention period. */
class RetentionPurgerTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration PERIOD = Duration.ofDays(30);

    @TempDir
    Path dir;
    private Store store;
    private TestTenant acme;
    private Endpoint endpoint;

    @BeforeEach
    void open() {
        store = TestStores.sqlite(dir);
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aPassPurgesDeliveriesFinishedBeforeThePeriodAndKeepsNewerOnes() {
        var old = delivered(NOW);
        var recent = delivered(NOW.plus(Duration.ofDays(20)));
        var stats = store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().stats();
        var purger = new RetentionPurger(store, PERIOD, clockAt(NOW.plus(Duration.ofDays(31))), Duration.ZERO);

        int purged = purger.purgeOnce();

        assertThat(purged).as("one attempt and one payload").isEqualTo(2);
        assertThat(store.deliveries().attempts(old.deliveries().getFirst().key())).isEmpty();
        assertThat(payload(old)).isEqualTo("{}");
        assertThat(store.deliveries().attempts(recent.deliveries().getFirst().key())).hasSize(1);
        assertThat(payload(recent)).isEqualTo(recent.event().payload());
        assertThat(store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().stats()).isEqualTo(stats);
        assertThat(purger.purgeOnce()).as("nothing left for a second pass").isZero();
    }

    @Test
    void aStartedPurgerRunsAPassAndStopsWhenClosed() {
        var old = delivered(NOW);
        var purger = RetentionPurger.start(store, PERIOD, clockAt(NOW.plus(Duration.ofDays(31))));
        try {
            Await.until("the started purger's first pass", Duration.ofSeconds(10), () -> payload(old).equals("{}"));
        } finally {
            purger.close();
        }

        assertThat(payload(old)).isEqualTo("{}");
        assertThat(store.deliveries().attempts(old.deliveries().getFirst().key())).isEmpty();
    }

    @Test
    void aPassFinishesADeletionThatDeliveriesInFlightHadHeldUp() {
        var doomed = TestData.tenant(store, NOW);
        var hook = TestData.endpoint(store, doomed, "https://example.com/doomed", NOW);
        TestData.publish(store, doomed, "job.completed", NOW, hook);
        store.deliveries().claimDue(new Lease("node-a", NOW.plus(Duration.ofMinutes(5))), NOW, 10);
        store.accounts().setStatus(doomed.accountId(), AccountStatus.DELETED);
        while (store.accounts().purge(doomed.accountId(), NOW, 1000) > 0) {
            // what a deletion at NOW can purge
        }
        assertThat(store.accounts().deleted()).containsExactly(doomed.accountId());

        int purged = new RetentionPurger(store, PERIOD, clockAt(NOW.plus(Duration.ofMinutes(10))), Duration.ZERO)
                .purgeOnce();

        assertThat(purged).isPositive();
        assertThat(store.accounts().deleted()).isEmpty();
        assertThat(store.accounts().findInAnyStatus(doomed.accountId())).isEmpty();
        assertThat(store.accounts().find(acme.accountId())).isPresent();
    }

    @Test
    void refusesAPeriodThatIsNotPositive() {
        assertThatThrownBy(() -> new RetentionPurger(store, Duration.ZERO, Clock.systemUTC(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private PublishedEvent delivered(Instant at) {
        var event = TestData.publish(store, acme, "job.completed", at, endpoint);
        var delivery = event.deliveries().getFirst();
        store.deliveries().recordAttempts(List.of(new AttemptRecord(delivery.key(), endpoint.id(), 1, at.plusSeconds(1),
                10, OptionalInt.of(200), "ok", Optional.empty(), Optional.empty(), DeliveryState.DELIVERED,
                Optional.empty())));
        return event;
    }

    private String payload(PublishedEvent event) {
        return store.events().find(acme.accountId(), event.event().id()).orElseThrow().payload();
    }

    private static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}

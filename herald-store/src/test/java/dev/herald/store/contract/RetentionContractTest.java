package dev.herald.store.contract;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.AttemptRecord;
import dev.herald.store.PublishedEvent;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ParameterizedClass
@EnumSource(StoreKind.class)
class RetentionContractTest extends StoreContractTest {
    private static final Instant CUTOFF = NOW.plus(Duration.ofDays(5));
    private static final String PURGED = "{}";

    private TestTenant acme;
    private Endpoint endpoint;

    RetentionContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void endpoint() {
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
    }

    @Test
    void purgesAttemptsAndPayloadsOfOldFinishedDeliveriesOnly() {
        var oldDelivered = publish(NOW);
        record(success(oldDelivered, 1, NOW.plusSeconds(1)));
        var oldFailed = publish(NOW);
        record(failure(oldFailed, 1, NOW.plusSeconds(1), Optional.of(NOW.plusSeconds(60))));
        record(failure(oldFailed, 2, NOW.plusSeconds(60), Optional.empty()));
        var oldPending = publish(NOW);
        record(failure(oldPending, 1, NOW.plusSeconds(1), Optional.of(NOW.plus(Duration.ofDays(6)))));
        var recentDelivered = publish(NOW);
        record(success(recentDelivered, 1, CUTOFF.plusSeconds(1)));
        var cancelledEndpoint = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        var oldCancelled = TestData.publish(store, acme, "job.completed", NOW, cancelledEndpoint);
        store.endpoints().setStatus(cancelledEndpoint.id(), EndpointStatus.DISABLED, NOW.plusSeconds(2));
        var noSubscriber = TestData.publish(store, acme, "job.completed", NOW);
        var stats = stats(endpoint);

        int purged = purgeAll(CUTOFF, 1000);

        assertThat(attempts(oldDelivered)).isZero();
        assertThat(attempts(oldFailed)).isZero();
        assertThat(attempts(oldPending)).isEqualTo(1);
        assertThat(attempts(recentDelivered)).isEqualTo(1);
        assertThat(payload(oldDelivered)).isEqualTo(PURGED);
        assertThat(payload(oldFailed)).isEqualTo(PURGED);
        assertThat(payload(oldCancelled)).isEqualTo(PURGED);
        assertThat(payload(noSubscriber)).isEqualTo(PURGED);
        assertThat(payload(oldPending)).isEqualTo(oldPending.event().payload());
        assertThat(payload(recentDelivered)).isEqualTo(recentDelivered.event().payload());
        assertThat(purged).as("3 attempts and 4 payloads").isEqualTo(7);
        assertThat(stats(endpoint)).isEqualTo(stats);
        var delivery = oldDelivered.deliveries().getFirst();
        assertThat(store.deliveries().find(acme.accountId(), delivery.id())).hasValueSatisfying(d -> {
            assertThat(d.state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(d.attempts()).isEqualTo(1);
        });
        assertThat(store.events().deliveriesOf(acme.accountId(), oldDelivered.event().id())).hasSize(1);
    }

    @Test
    void eachCallPurgesABoundedBatch() {
        var events = new ArrayList<PublishedEvent>();
        for (int i = 0; i < 3; i++) {
            var event = publish(NOW);
            record(failure(event, 1, NOW.plusSeconds(1), Optional.of(NOW.plusSeconds(60))));
            record(failure(event, 2, NOW.plusSeconds(60), Optional.empty()));
            events.add(event);
        }

        var batches = new ArrayList<Integer>();
        for (int n = store.deliveries().purgeFinishedBefore(CUTOFF, 2); n > 0;
             n = store.deliveries().purgeFinishedBefore(CUTOFF, 2)) {
            batches.add(n);
        }

        assertThat(batches).allSatisfy(n -> assertThat(n).isBetween(1, 4));
        assertThat(batches.stream().mapToInt(Integer::intValue).sum()).as("6 attempts and 3 payloads").isEqualTo(9);
        assertThat(events).allSatisfy(e -> assertThat(attempts(e)).isZero());
        assertThat(events).allSatisfy(e -> assertThat(payload(e)).isEqualTo(PURGED));
    }

    @Test
    void nothingOlderThanTheCutoffMeansNothingPurged() {
        var event = publish(NOW);
        record(success(event, 1, NOW.plusSeconds(1)));

        assertThat(store.deliveries().purgeFinishedBefore(NOW, 1000)).isZero();
        assertThat(attempts(event)).isEqualTo(1);
        assertThat(payload(event)).isEqualTo(event.event().payload());
    }

    @Test
    void aBatchMustHoldAtLeastOneRow() {
        assertThatThrownBy(() -> store.deliveries().purgeFinishedBefore(CUTOFF, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private int purgeAll(Instant cutoff, int limit) {
        int total = 0;
        for (int n = store.deliveries().purgeFinishedBefore(cutoff, limit); n > 0;
             n = store.deliveries().purgeFinishedBefore(cutoff, limit)) {
            total += n;
        }
        return total;
    }

    private PublishedEvent publish(Instant at) {
        return TestData.publish(store, acme, "job.completed", at, endpoint);
    }

    private void record(AttemptRecord attempt) {
        store.deliveries().recordAttempts(List.of(attempt));
    }

    private int attempts(PublishedEvent event) {
        return store.deliveries().attempts(event.deliveries().getFirst().key()).size();
    }

    private String payload(PublishedEvent event) {
        return store.events().find(acme.accountId(), event.event().id()).orElseThrow().payload();
    }

    private EndpointStats stats(Endpoint e) {
        return store.endpoints().find(acme.accountId(), e.id()).orElseThrow().stats();
    }

    private static AttemptRecord success(PublishedEvent event, int number, Instant at) {
        return new AttemptRecord(event.deliveries().getFirst().key(), event.deliveries().getFirst().endpointId(), number,
                at, 10, OptionalInt.of(200), "ok", Optional.empty(), Optional.empty(), DeliveryState.DELIVERED,
                Optional.empty());
    }

    private static AttemptRecord failure(PublishedEvent event, int number, Instant at, Optional<Instant> next) {
        return new AttemptRecord(event.deliveries().getFirst().key(), event.deliveries().getFirst().endpointId(), number,
                at, 10, OptionalInt.of(500), "err", Optional.of(ErrorClass.STATUS), Optional.of("HTTP 500"),
                next.isPresent() ? DeliveryState.PENDING : DeliveryState.FAILED, next);
    }
}

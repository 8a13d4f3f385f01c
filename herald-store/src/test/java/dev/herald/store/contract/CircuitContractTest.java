package dev.herald.store.contract;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.AttemptRecord;
import dev.herald.store.CircuitStep;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EndpointChanges;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The circuit breaker's stored state and its effect on deliveries (issue 24), the same on both stores. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class CircuitContractTest extends StoreContractTest {
    private TestTenant acme;
    private Endpoint endpoint;
    private final List<Delivery> published = new ArrayList<>();

    CircuitContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void failingEndpointWithFiveDeliveries() {
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        for (int i = 0; i < 5; i++) {
            published.add(TestData.publish(store, acme, "job.completed", NOW.plusMillis(i), endpoint).deliveries()
                    .getFirst());
        }
        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.ACTIVE),
                EndpointStatus.FAILING, NOW)).isPresent();
    }

    @Test
    void openingHoldsEveryPendingDeliveryButTheProbeWhichAloneIsClaimed() {
        long probe = published.getFirst().key();
        assertThat(store.endpoints().openCircuit(endpoint.id(), probe, false, NOW)).isEmpty();

        assertThat(store.endpoints().openCircuit(endpoint.id(), probe, true, NOW)).contains(new CircuitStep(Circuit.OPEN, 4));

        assertThat(reload().circuit()).isEqualTo(Circuit.OPEN);
        assertThat(store.deliveries().held(endpoint.id())).isEqualTo(4);
        assertThat(store.deliveries().heldByCircuits()).isEqualTo(4);
        assertThat(store.endpoints().countByCircuit()).containsEntry(Circuit.OPEN, 1L)
                .containsEntry(Circuit.CLOSED, 0L).containsEntry(Circuit.HALF_OPEN, 0L);
        assertThat(claimAll()).extracting(c -> c.delivery().key()).containsExactly(probe);
        assertThat(store.endpoints().openCircuit(endpoint.id(), probe, true, NOW)).isEmpty();
        // held, not charged: no attempt was counted against them
        assertThat(store.deliveries().findByKey(published.get(1).key()).orElseThrow().attempts()).isZero();
    }

    @Test
    void onlyAFailingEndpointsCircuitOpens() {
        store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.FAILING), EndpointStatus.ACTIVE, NOW);

        assertThat(store.endpoints().openCircuit(endpoint.id(), published.getFirst().key(), true, NOW)).isEmpty();
        assertThat(store.deliveries().held(endpoint.id())).isZero();
    }

    @Test
    void aRetryOfADeliveryInFlightWhenTheCircuitOpenedIsHeldButTheProbeKeepsItsSchedule() {
        List<ClaimedDelivery> inFlight = claimAll();
        assertThat(inFlight).hasSize(5);
        var probe = published.getFirst();
        store.endpoints().openCircuit(endpoint.id(), probe.key(), true, NOW);
        Instant retryAt = NOW.plus(Duration.ofMinutes(1));

        store.deliveries().recordAttempts(List.of(failure(probe, retryAt), failure(published.get(1), retryAt)));

        assertThat(store.deliveries().findByKey(probe.key()).orElseThrow().nextAttemptAt()).hasValue(retryAt);
        var escaped = store.deliveries().findByKey(published.get(1).key()).orElseThrow();
        assertThat(escaped.nextAttemptAt()).isEmpty();
        assertThat(escaped.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(store.deliveries().held(endpoint.id())).isEqualTo(4);
    }

    @Test
    void aBatchReportsTheStatusAndCircuitStoredWhenItWasRecorded() {
        var probe = published.getFirst();
        var beforeOpening = store.deliveries().recordAttempts(List.of(failure(published.get(4),
                NOW.plus(Duration.ofMinutes(1))))).get(endpoint.id());
        assertThat(beforeOpening.status()).isEqualTo(EndpointStatus.FAILING);
        assertThat(beforeOpening.circuit()).isEqualTo(Circuit.CLOSED);
        assertThat(beforeOpening.stats().consecutiveFailures()).isEqualTo(1);
        // another node opens the circuit; this node's copy of the endpoint still says closed
        store.endpoints().openCircuit(endpoint.id(), probe.key(), true, NOW);

        var afterProbe = store.deliveries().recordAttempts(List.of(success(probe))).get(endpoint.id());

        assertThat(afterProbe.status()).isEqualTo(EndpointStatus.FAILING);
        assertThat(afterProbe.circuit()).isEqualTo(Circuit.OPEN);
        assertThat(afterProbe.stats().consecutiveFailures()).isZero();
        assertThat(afterProbe.stats().successful()).isEqualTo(1);
    }

    @Test
    void aSuccessHalfOpensAndReleasesAtARampThenClosesAndReleasesTheRest() {
        var probe = published.getFirst();
        store.endpoints().openCircuit(endpoint.id(), probe.key(), true, NOW);
        store.deliveries().recordAttempts(List.of(success(probe)));

        assertThat(store.endpoints().advanceCircuit(endpoint.id(), 2, NOW))
                .contains(new CircuitStep(Circuit.HALF_OPEN, 1));
        assertThat(reload().circuit()).isEqualTo(Circuit.HALF_OPEN);
        List<ClaimedDelivery> first = claimAll();
        assertThat(first).extracting(c -> c.delivery().key()).containsExactly(published.get(1).key());
        // the step is under way until the released delivery has finished
        assertThat(store.endpoints().advanceCircuit(endpoint.id(), 2, NOW)).isEmpty();

        store.deliveries().recordAttempts(List.of(success(published.get(1))));
        assertThat(store.endpoints().advanceCircuit(endpoint.id(), 2, NOW))
                .contains(new CircuitStep(Circuit.HALF_OPEN, 2));
        assertThat(claimAll()).extracting(c -> c.delivery().key())
                .containsExactly(published.get(2).key(), published.get(3).key());
        store.deliveries().recordAttempts(List.of(success(published.get(2)), success(published.get(3))));

        // a step as wide as the endpoint's concurrency finished: closed, active, the rest released
        assertThat(store.endpoints().advanceCircuit(endpoint.id(), 2, NOW))
                .contains(new CircuitStep(Circuit.CLOSED, 1));
        var closed = reload();
        assertThat(closed.circuit()).isEqualTo(Circuit.CLOSED);
        assertThat(closed.status()).isEqualTo(EndpointStatus.ACTIVE);
        assertThat(store.deliveries().held(endpoint.id())).isZero();
        assertThat(claimAll()).extracting(c -> c.delivery().key()).containsExactly(published.get(4).key());
    }

    @Test
    void aFailureDuringTheRampOpensTheCircuitAgain() {
        var probe = published.getFirst();
        store.endpoints().openCircuit(endpoint.id(), probe.key(), true, NOW);
        store.deliveries().recordAttempts(List.of(success(probe)));
        store.endpoints().advanceCircuit(endpoint.id(), 8, NOW);
        claimAll();
        var released = published.get(1);
        store.deliveries().recordAttempts(List.of(failure(released, NOW.plusSeconds(60))));

        // a failure during the ramp opens it again, however short the streak
        assertThat(store.endpoints().openCircuit(endpoint.id(), released.key(), false, NOW))
                .contains(new CircuitStep(Circuit.OPEN, 0));
        assertThat(reload().circuit()).isEqualTo(Circuit.OPEN);
        assertThat(store.deliveries().held(endpoint.id())).isEqualTo(3);
        assertThat(store.deliveries().findByKey(released.key()).orElseThrow().nextAttemptAt())
                .hasValue(NOW.plusSeconds(60));
    }

    @Test
    void aProbeThatFailedForGoodIsReplacedByTheOldestHeldDelivery() {
        var probe = published.getFirst();
        store.endpoints().openCircuit(endpoint.id(), probe.key(), true, NOW);
        assertThat(store.endpoints().reprobeCircuit(endpoint.id(), NOW)).isEmpty();
        store.deliveries().recordAttempts(List.of(failure(probe, null)));

        assertThat(store.endpoints().reprobeCircuit(endpoint.id(), NOW)).contains(new CircuitStep(Circuit.OPEN, 1));

        assertThat(claimAll()).extracting(c -> c.delivery().key()).containsExactly(published.get(1).key());
        assertThat(store.deliveries().held(endpoint.id())).isEqualTo(3);
    }

    @Test
    void anOpenCircuitWhoseProbeEndedWithoutItsNextStepIsFoundAndGetsANewProbe() {
        var probe = published.getFirst();
        store.endpoints().openCircuit(endpoint.id(), probe.key(), true, NOW);
        assertThat(store.endpoints().stalledCircuits()).as("its probe is pending").isEmpty();

        // the probe's success is recorded, but the node that recorded it never advanced the circuit
        store.deliveries().recordAttempts(List.of(success(probe)));

        assertThat(store.endpoints().stalledCircuits()).containsExactly(Map.entry(endpoint.id(), Circuit.OPEN));
        assertThat(store.endpoints().reprobeCircuit(endpoint.id(), NOW)).contains(new CircuitStep(Circuit.OPEN, 1));
        assertThat(store.endpoints().stalledCircuits()).isEmpty();
        assertThat(claimAll()).extracting(c -> c.delivery().key()).containsExactly(published.get(1).key());
    }

    @Test
    void aHalfOpenCircuitWhoseStepFinishedWithoutTheNextIsFoundAndMovesOn() {
        var probe = published.getFirst();
        store.endpoints().openCircuit(endpoint.id(), probe.key(), true, NOW);
        store.deliveries().recordAttempts(List.of(success(probe)));
        store.endpoints().advanceCircuit(endpoint.id(), 8, NOW);
        assertThat(store.endpoints().stalledCircuits()).as("its released delivery is pending").isEmpty();

        // the released delivery's success is recorded, but the node that recorded it never took the next step
        assertThat(claimAll()).extracting(c -> c.delivery().key()).containsExactly(published.get(1).key());
        store.deliveries().recordAttempts(List.of(success(published.get(1))));

        assertThat(store.endpoints().stalledCircuits()).containsExactly(Map.entry(endpoint.id(), Circuit.HALF_OPEN));
        assertThat(store.endpoints().advanceCircuit(endpoint.id(), 8, NOW)).isPresent();
        assertThat(store.endpoints().stalledCircuits()).isEmpty();
    }

    @Test
    void aPauseEndsTheCircuitAndAResumeReleasesEverything() {
        store.endpoints().openCircuit(endpoint.id(), published.getFirst().key(), true, NOW);

        store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, NOW);
        assertThat(reload().circuit()).isEqualTo(Circuit.CLOSED);
        assertThat(store.deliveries().held(endpoint.id())).isEqualTo(5);
        assertThat(store.deliveries().heldByCircuits()).isZero();
        store.endpoints().setStatus(endpoint.id(), EndpointStatus.ACTIVE, NOW);

        assertThat(store.deliveries().held(endpoint.id())).isZero();
        assertThat(claimAll()).hasSize(5);
    }

    @Test
    void aNewUrlClosesTheCircuitAndReleasesWhatItHeldButTheStatusStaysFailingUntilASuccess() {
        store.endpoints().openCircuit(endpoint.id(), published.getFirst().key(), true, NOW);

        store.endpoints().update(acme.accountId(), endpoint.id(),
                EndpointChanges.NONE.withUrl("https://example.com/moved"), NOW);

        assertThat(reload().circuit()).isEqualTo(Circuit.CLOSED);
        assertThat(reload().status()).isEqualTo(EndpointStatus.FAILING);
        assertThat(store.deliveries().held(endpoint.id())).isZero();
        assertThat(claimAll()).hasSize(5);
        assertThat(store.endpoints().advanceCircuit(endpoint.id(), 8, NOW))
                .contains(new CircuitStep(Circuit.CLOSED, 0));
        assertThat(reload().status()).isEqualTo(EndpointStatus.ACTIVE);
    }

    @Test
    void heldDeliveriesThatNothingHoldsAnyMoreAreReleased() {
        var other = TestData.endpoint(store, acme, "https://example.com/other", NOW);
        var paused = TestData.endpoint(store, acme, "https://example.com/paused", NOW);
        store.endpoints().setStatus(paused.id(), EndpointStatus.PAUSED, NOW);
        store.endpoints().openCircuit(endpoint.id(), published.getFirst().key(), true, NOW);
        // stored held by publishes that read a stale copy: one for an endpoint that receives, one still paused
        var event = TestData.event(acme, "job.completed", NOW);
        store.events().insert(List.of(new EventDraft(event, List.of(
                new DeliveryDraft(DeliveryId.generate(), other.id(), Optional.empty(), Optional.empty()),
                new DeliveryDraft(DeliveryId.generate(), paused.id(), Optional.empty(), Optional.empty())))));

        assertThat(store.deliveries().releaseStrayHeld(NOW)).isEqualTo(1);

        assertThat(store.deliveries().held(other.id())).isZero();
        assertThat(store.deliveries().held(paused.id())).isEqualTo(1);
        assertThat(store.deliveries().held(endpoint.id())).isEqualTo(4);
    }

    @Test
    void storesAnEndpointsOwnRetrySchedule() {
        var delays = List.of(Duration.ZERO, Duration.ofSeconds(30), Duration.ofHours(24));
        var created = store.endpoints().create(new NewEndpoint(acme.accountId(),
                "https://example.com/b", List.of("*"), Optional.empty(), acme.keyId(), Optional.empty(),
                OptionalInt.empty(), Map.of(), SigningSecret.generate(),
                Destination.WEBHOOK, EndpointProfile.NONE, Optional.of(delays), Ordering.UNORDERED), NOW);
        assertThat(created.retrySchedule()).contains(delays);
        assertThat(store.endpoints().find(acme.accountId(), created.id()).orElseThrow().retrySchedule())
                .contains(delays);

        var other = List.of(Duration.ofSeconds(5));
        store.endpoints().update(acme.accountId(), created.id(),
                EndpointChanges.NONE.withRetrySchedule(Optional.of(other)), NOW);
        assertThat(store.endpoints().find(acme.accountId(), created.id()).orElseThrow().retrySchedule())
                .contains(other);
        store.endpoints().update(acme.accountId(), created.id(), EndpointChanges.NONE.withDescription(
                Optional.of("kept")), NOW);
        assertThat(store.endpoints().find(acme.accountId(), created.id()).orElseThrow().retrySchedule())
                .contains(other);
        store.endpoints().update(acme.accountId(), created.id(),
                EndpointChanges.NONE.withRetrySchedule(Optional.empty()), NOW);
        assertThat(store.endpoints().find(acme.accountId(), created.id()).orElseThrow().retrySchedule()).isEmpty();
    }

    private Endpoint reload() {
        return store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow();
    }

    private List<ClaimedDelivery> claimAll() {
        Instant later = NOW.plus(Duration.ofMinutes(10));
        return store.deliveries().claimDue(new Lease("node-a", later.plus(Duration.ofMinutes(5))), later, 100);
    }

    private AttemptRecord success(Delivery delivery) {
        var current = store.deliveries().findByKey(delivery.key()).orElseThrow();
        return new AttemptRecord(delivery.key(), endpoint.id(), current.attempts() + 1, NOW.plusSeconds(1), 10,
                OptionalInt.of(200), "ok", Optional.empty(), Optional.empty(), DeliveryState.DELIVERED,
                Optional.empty());
    }

    /** A failed attempt, retried at {@code next} (null: failed for good). */
    private AttemptRecord failure(Delivery delivery, Instant next) {
        var current = store.deliveries().findByKey(delivery.key()).orElseThrow();
        return new AttemptRecord(delivery.key(), endpoint.id(), current.attempts() + 1, NOW.plusSeconds(1), 10,
                OptionalInt.of(500), "err", Optional.of(ErrorClass.STATUS), Optional.of("HTTP 500"),
                next == null ? DeliveryState.FAILED : DeliveryState.PENDING, Optional.ofNullable(next));
    }
}

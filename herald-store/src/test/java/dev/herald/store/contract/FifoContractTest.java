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
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** FIFO endpoints (issue 24): numbered in the publish transaction, claimed only at their head, on both stores. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class FifoContractTest extends StoreContractTest {
    private TestTenant acme;
    private Endpoint fifo;
    private Endpoint unordered;

    FifoContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void endpoints() {
        acme = TestData.tenant(store, NOW);
        fifo = store.endpoints().create(new NewEndpoint(acme.accountId(), "https://example.com/fifo", List.of("*"),
                Optional.empty(), acme.keyId(), Optional.empty(), OptionalInt.empty(), Map.of(),
                SigningSecret.generate(), Destination.WEBHOOK, EndpointProfile.NONE, Optional.empty(), Ordering.FIFO),
                NOW);
        unordered = TestData.endpoint(store, acme, "https://example.com/any", NOW);
    }

    @Test
    void deliveriesOfAFifoEndpointAreNumberedInPublishOrderAcrossTransactions() {
        var first = publish(2);
        var second = publish(1);

        assertThat(first).extracting(d -> d.sequence().getAsLong()).containsExactly(1L, 2L);
        assertThat(second).extracting(d -> d.sequence().getAsLong()).containsExactly(3L);
        assertThat(store.deliveries().findByKey(second.getFirst().key()).orElseThrow().sequence())
                .isEqualTo(OptionalLong.of(3));
        var other = TestData.publish(store, acme, "job.completed", NOW, unordered).deliveries().getFirst();
        assertThat(store.deliveries().findByKey(other.key()).orElseThrow().sequence()).isEmpty();
        assertThat(fifo.ordering()).isEqualTo(Ordering.FIFO);
        assertThat(store.endpoints().find(acme.accountId(), fifo.id()).orElseThrow().ordering())
                .isEqualTo(Ordering.FIFO);
    }

    @Test
    void onlyTheHeadIsClaimedAndTheNextOnceTheHeadFinished() {
        var deliveries = publish(3);
        var plain = TestData.publish(store, acme, "job.completed", NOW, unordered).deliveries().getFirst();
        for (int i = 0; i < 3; i++) {
            TestData.publish(store, acme, "job.completed", NOW, unordered);
        }

        var claimed = store.deliveries().claimDue(new Lease("node-a", NOW.plusSeconds(2)), NOW.plusSeconds(1), 100);
        assertThat(claimed).extracting(c -> c.delivery().key()).contains(deliveries.getFirst().key(), plain.key())
                .doesNotContain(deliveries.get(1).key(), deliveries.get(2).key()).hasSize(5);
        // the head is retried later: still the head, so nothing behind it goes
        store.deliveries().recordAttempts(List.of(attempt(deliveries.getFirst(), 1, NOW.plusSeconds(60))));
        assertThat(claimAt(NOW.plusSeconds(30))).isEmpty();
        assertThat(claimAt(NOW.plusSeconds(61))).extracting(c -> c.delivery().key())
                .containsExactly(deliveries.getFirst().key());

        // failed for good: the next is the head
        store.deliveries().recordAttempts(List.of(attempt(deliveries.getFirst(), 2, null)));
        assertThat(claimAt(NOW.plusSeconds(62))).extracting(c -> c.delivery().key())
                .containsExactly(deliveries.get(1).key());
        store.deliveries().recordAttempts(List.of(new AttemptRecord(deliveries.get(1).key(), fifo.id(), 1,
                NOW.plusSeconds(62), 5, OptionalInt.of(200), "", Optional.empty(), Optional.empty(),
                DeliveryState.DELIVERED, Optional.empty())));
        assertThat(claimAt(NOW.plusSeconds(63))).extracting(c -> c.delivery().key())
                .containsExactly(deliveries.get(2).key());
    }

    @Test
    void aClaimFindsAFifoEndpointsHeadBehindTheBacklogOfAnEndpointWithoutRoomButNothingBehindTheHead() {
        var backlog = new ArrayList<EventDraft>();
        for (int i = 0; i < 500; i++) {
            backlog.add(TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(unordered),
                    NOW.minusSeconds(600).plusMillis(i)));
        }
        store.events().insert(backlog);
        var deliveries = publish(3);

        var claim = store.deliveries().claimDue(new Lease("node-a", NOW.plusSeconds(30)), NOW, 50,
                e -> e.equals(unordered.id()) ? 0 : 50);

        assertThat(claim.claimed()).extracting(c -> c.delivery().key()).containsExactly(deliveries.getFirst().key());
        assertThat(claim.leftFor()).containsExactly(unordered.id());
        assertThat(store.deliveries().claimDue(new Lease("node-b", NOW.plusSeconds(30)), NOW, 50,
                e -> e.equals(unordered.id()) ? 0 : 50).claimed()).isEmpty();
    }

    @Test
    void anOpenCircuitReleasesAFifoEndpointsHeldDeliveriesInSequenceOrder() {
        // stored without a number (published before the endpoint was FIFO): a smaller id, but not in the order
        var unnumbered = store.events().insert(List.of(new EventDraft(TestData.event(acme, "job.completed", NOW),
                List.of(new DeliveryDraft(DeliveryId.generate(), fifo.id(), Optional.of(NOW), Optional.empty())))))
                .getFirst().deliveries().getFirst();
        var numbered = publish(2);
        store.endpoints().changeStatus(fifo.id(), EnumSet.of(EndpointStatus.ACTIVE), EndpointStatus.FAILING, NOW);
        store.endpoints().openCircuit(fifo.id(), numbered.getFirst().key(), true, NOW);
        store.deliveries().recordAttempts(List.of(new AttemptRecord(numbered.getFirst().key(), fifo.id(), 1,
                NOW.plusSeconds(1), 5, OptionalInt.of(200), "", Optional.empty(), Optional.empty(),
                DeliveryState.DELIVERED, Optional.empty())));

        store.endpoints().advanceCircuit(fifo.id(), 8, NOW);

        assertThat(store.deliveries().findByKey(numbered.get(1).key()).orElseThrow().nextAttemptAt()).isPresent();
        assertThat(store.deliveries().findByKey(unnumbered.key()).orElseThrow().nextAttemptAt()).isEmpty();
    }

    /**
     * A half-open circuit whose step finished without the next (the node that recorded the step's success died) is
     * found by the sweep, though a later delivery is due: stored due while the circuit held the rest (a node's copy
     * of the endpoint was older), it waits behind the held head and no claim takes it.
     */
    @Test
    void aHalfOpenCircuitIsFoundStalledWhileItsHeadIsHeldThoughALaterDeliveryIsDue() {
        var numbered = publish(3);
        store.endpoints().changeStatus(fifo.id(), EnumSet.of(EndpointStatus.ACTIVE), EndpointStatus.FAILING, NOW);
        store.endpoints().openCircuit(fifo.id(), numbered.getFirst().key(), true, NOW);
        var late = publish(1).getFirst();
        store.deliveries().recordAttempts(List.of(delivered(numbered.get(0))));
        assertThat(store.endpoints().advanceCircuit(fifo.id(), 1, NOW)).isPresent();
        store.deliveries().recordAttempts(List.of(delivered(numbered.get(1))));
        assertThat(claimAt(NOW.plusSeconds(5))).as("claimable: the head is held, the due one behind it").isEmpty();

        assertThat(store.endpoints().stalledCircuits()).containsExactly(Map.entry(fifo.id(), Circuit.HALF_OPEN));
        assertThat(store.endpoints().advanceCircuit(fifo.id(), 1, NOW)).isPresent();
        assertThat(claimAt(NOW.plusSeconds(5))).extracting(c -> c.delivery().key())
                .containsExactly(numbered.get(2).key());
        assertThat(store.deliveries().findByKey(late.key()).orElseThrow().nextAttemptAt()).as("the late one, due")
                .isPresent();
    }

    /**
     * An open circuit whose pending probe is not the head: a failed delivery ahead of it retried by hand while the
     * circuit was open went out first (a claim takes a FIFO endpoint's due head), failed and was held as everything
     * but the probe is. The held head blocks the probe behind it, so the sweep finds the circuit stalled and a new
     * probe is the head.
     */
    @Test
    void anOpenCircuitIsFoundStalledWhileItsProbeWaitsBehindAHeldHead() {
        var numbered = publish(3);
        store.deliveries().recordAttempts(List.of(attempt(numbered.get(0), 1, null)));
        store.endpoints().changeStatus(fifo.id(), EnumSet.of(EndpointStatus.ACTIVE), EndpointStatus.FAILING, NOW);
        store.endpoints().openCircuit(fifo.id(), numbered.get(1).key(), true, NOW);
        assertThat(store.deliveries().retryNow(numbered.get(0).key(), NOW)).isTrue();
        assertThat(claimAt(NOW.plusSeconds(5))).extracting(c -> c.delivery().key())
                .containsExactly(numbered.get(0).key());
        store.deliveries().recordAttempts(List.of(attempt(numbered.get(0), 2, NOW.plusSeconds(60))));
        assertThat(claimAt(NOW.plusSeconds(120))).as("claimable: the head is held, the probe behind it").isEmpty();

        assertThat(store.endpoints().stalledCircuits()).containsExactly(Map.entry(fifo.id(), Circuit.OPEN));
        assertThat(store.endpoints().reprobeCircuit(fifo.id(), NOW.plusSeconds(120))).isPresent();
        assertThat(store.deliveries().findByKey(numbered.get(1).key()).orElseThrow().nextAttemptAt())
                .as("the probe replaced, held behind the new one").isEmpty();
        assertThat(claimAt(NOW.plusSeconds(120))).extracting(c -> c.delivery().key())
                .containsExactly(numbered.get(0).key());
        assertThat(store.endpoints().stalledCircuits()).isEmpty();
    }

    private AttemptRecord delivered(Delivery delivery) {
        return new AttemptRecord(delivery.key(), fifo.id(), 1, NOW.plusSeconds(1), 5, OptionalInt.of(200), "",
                Optional.empty(), Optional.empty(), DeliveryState.DELIVERED, Optional.empty());
    }

    @Test
    void anEndpointCanBeMadeFifoAndBackByAnUpdate() {
        store.endpoints().update(acme.accountId(), unordered.id(), EndpointChanges.NONE.withOrdering(Ordering.FIFO),
                NOW);
        assertThat(store.endpoints().find(acme.accountId(), unordered.id()).orElseThrow().ordering())
                .isEqualTo(Ordering.FIFO);
        store.endpoints().update(acme.accountId(), unordered.id(),
                EndpointChanges.NONE.withOrdering(Ordering.UNORDERED), NOW);
        assertThat(store.endpoints().find(acme.accountId(), unordered.id()).orElseThrow().ordering())
                .isEqualTo(Ordering.UNORDERED);
    }

    private List<Delivery> publish(int events) {
        var drafts = new ArrayList<EventDraft>();
        for (int i = 0; i < events; i++) {
            drafts.add(new EventDraft(TestData.event(acme, "job.completed", NOW), List.of(new DeliveryDraft(
                    DeliveryId.generate(), fifo.id(), Optional.of(NOW), Optional.empty(), true))));
        }
        return store.events().insert(drafts).stream().map(p -> p.deliveries().getFirst()).toList();
    }

    /** What a claim at {@code at} takes of the FIFO endpoint's deliveries (the unordered ones come back often). */
    private List<ClaimedDelivery> claimAt(Instant at) {
        return store.deliveries().claimDue(new Lease("node-" + at.toEpochMilli(), at.plus(Duration.ofSeconds(1))),
                at, 100).stream().filter(c -> c.delivery().endpointId().equals(fifo.id())).toList();
    }

    /** A failed attempt number {@code n}, retried at {@code next} (null: failed for good). */
    private AttemptRecord attempt(Delivery delivery, int n, Instant next) {
        return new AttemptRecord(delivery.key(), fifo.id(), n, NOW.plusSeconds(1), 5, OptionalInt.of(500), "",
                Optional.of(ErrorClass.STATUS), Optional.of("HTTP 500"),
                next == null ? DeliveryState.FAILED : DeliveryState.PENDING, Optional.ofNullable(next));
    }
}

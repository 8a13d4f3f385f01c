package dev.herald.store.contract;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.AttemptRecord;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.DueClaim;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
import dev.herald.store.PageRequest;
import dev.herald.store.QueueDepth;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class DeliveryQueueContractTest extends StoreContractTest {
    private static final Lease NODE_A = new Lease("node-a", NOW.plusSeconds(30));
    private static final Lease NODE_B = new Lease("node-b", NOW.plusSeconds(30));

    private TestTenant acme;
    private Endpoint endpoint;

    DeliveryQueueContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void endpoint() {
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
    }

    @Test
    void claimsOnlyDueUnleasedDeliveriesOldestDueFirstWithTheirPayload() {
        var later = publishDue(NOW.plusSeconds(60));
        var dueSecond = publishDue(NOW.minusSeconds(1));
        var dueFirst = publishDue(NOW.minusSeconds(10));
        var dueNow = publishDue(NOW);

        var claimed = store.deliveries().claimDue(new Lease("node-a", NOW.plusSeconds(600)), NOW, 10);

        assertThat(claimed).extracting(c -> c.delivery().key()).containsExactly(dueFirst.key(), dueSecond.key(), dueNow.key());
        assertThat(claimed.getFirst().payload()).contains(dueFirst.eventId().value());
        assertThat(store.deliveries().claimDue(NODE_B, NOW, 10)).isEmpty();
        assertThat(store.deliveries().claimDue(NODE_B, NOW.plusSeconds(60), 10))
                .extracting(c -> c.delivery().key()).containsExactly(later.key());
    }

    @Test
    void aClaimCarriesTheTraceContextItsEventWasStoredWith() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var traced = TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(endpoint), NOW.minusSeconds(2));
        store.events().insert(List.of(new dev.herald.store.EventDraft(traced.event(), traced.deliveries(),
                Optional.of(traceparent))));
        publishDue(NOW.minusSeconds(1));

        var claimed = store.deliveries().claimDue(NODE_A, NOW, 10);

        assertThat(claimed).extracting(ClaimedDelivery::traceContext)
                .containsExactly(Optional.of(traceparent), Optional.empty());
    }

    /** More claimed than one statement reads (512): every one leased once, the whole claim oldest due first. */
    @Test
    void aClaimLargerThanOneReadComesBackWholeAndOldestDueFirst() {
        var drafts = new java.util.ArrayList<dev.herald.store.EventDraft>();
        for (int i = 0; i < 700; i++) {
            // due times interleaved, so the oldest are spread over the keys
            drafts.add(TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(endpoint),
                    NOW.minusSeconds(1 + (i * 37L) % 700)));
        }
        store.events().insert(drafts);

        var claimed = store.deliveries().claimDue(NODE_A, NOW, 700);

        assertThat(claimed).hasSize(700);
        assertThat(claimed).extracting(c -> c.delivery().key()).doesNotHaveDuplicates();
        assertThat(claimed).extracting(c -> c.delivery().nextAttemptAt().orElseThrow()).isSorted();
        assertThat(store.deliveries().claimDue(NODE_B, NOW, 700)).as("all leased").isEmpty();
    }

    @Test
    void claimsAtMostTheLimit() {
        for (int i = 0; i < 5; i++) {
            publishDue(NOW.minusSeconds(i));
        }

        assertThat(store.deliveries().claimDue(NODE_A, NOW, 2)).hasSize(2);
        assertThat(store.deliveries().claimDue(NODE_B, NOW, 10)).hasSize(3);
    }

    @Test
    void aClaimTakesNoMoreOfAnEndpointThanItsRoomAndLeavesTheRestUnleased() {
        var oldest = publishDue(NOW.minusSeconds(9));
        var second = publishDue(NOW.minusSeconds(8));
        var left = List.of(publishDue(NOW.minusSeconds(7)), publishDue(NOW.minusSeconds(6)));
        var other = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        var otherDue = TestData.publish(store, acme, "job.completed", NOW.minusSeconds(5), other);

        DueClaim claim = store.deliveries().claimDue(NODE_A, NOW, 10, e -> e.equals(endpoint.id()) ? 2 : 10);

        assertThat(claim.claimed()).extracting(c -> c.delivery().key())
                .containsExactly(oldest.key(), second.key(), otherDue.deliveries().getFirst().key());
        assertThat(claim.leftFor()).containsExactly(endpoint.id());
        assertThat(store.deliveries().claimDue(NODE_B, NOW, 10)).extracting(c -> c.delivery().key())
                .containsExactly(left.get(0).key(), left.get(1).key());
    }

    @Test
    void aClaimWithRoomForEverythingLeavesNoEndpointBehind() {
        publishDue(NOW.minusSeconds(2));
        publishDue(NOW.minusSeconds(1));

        DueClaim claim = store.deliveries().claimDue(NODE_A, NOW, 10, e -> 2);

        assertThat(claim.claimed()).hasSize(2);
        assertThat(claim.leftFor()).isEmpty();
    }

    @Test
    void aClaimFindsAnotherEndpointsDueRetryBehindTheBacklogOfAnEndpointWithoutRoomAtOnce() {
        var other = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        var retry = TestData.publish(store, acme, "job.completed", NOW.minusSeconds(7_200), other)
                .deliveries().getFirst();
        store.deliveries().claimDue(NODE_A, NOW.minusSeconds(7_200), 10);
        store.deliveries().recordAttempts(List.of(failure(retry, NOW.minusSeconds(7_200), NOW.minusSeconds(1))));
        publishBacklog(5_000, NOW.minusSeconds(3_600));

        DueClaim claim = store.deliveries().claimDue(NODE_B, NOW, 100, e -> e.equals(endpoint.id()) ? 0 : 100);

        assertThat(claim.claimed()).extracting(c -> c.delivery().key()).containsExactly(retry.key());
        assertThat(claim.leftFor()).containsExactly(endpoint.id());
        assertThat(store.deliveries().claimDue(NODE_B, NOW, 100, e -> e.equals(endpoint.id()) ? 0 : 100).claimed())
                .isEmpty();
    }

    @Test
    void aClaimLookingPastAFullEndpointTakesEachRowOnceAndStillNoMoreThanAnEndpointsRoom() {
        var other = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        var third = TestData.endpoint(store, acme, "https://example.com/c", NOW);
        var otherFirst = TestData.publish(store, acme, "job.completed", NOW.minusSeconds(7_200), other);
        publishBacklog(50, NOW.minusSeconds(3_600));
        var otherLater = new ArrayList<Long>();
        for (int i = 0; i < 3; i++) {
            otherLater.add(TestData.publish(store, acme, "job.completed", NOW.minusSeconds(60 - i), other)
                    .deliveries().getFirst().key());
        }
        var thirds = new ArrayList<Long>();
        for (int i = 0; i < 3; i++) {
            thirds.add(TestData.publish(store, acme, "job.completed", NOW.minusSeconds(30 - i), third)
                    .deliveries().getFirst().key());
        }

        DueClaim claim = store.deliveries().claimDue(NODE_A, NOW, 10,
                e -> e.equals(endpoint.id()) ? 0 : e.equals(third.id()) ? 2 : 10);

        assertThat(claim.claimed()).extracting(c -> c.delivery().key()).containsExactly(
                otherFirst.deliveries().getFirst().key(), otherLater.get(0), otherLater.get(1), otherLater.get(2),
                thirds.get(0), thirds.get(1));
        assertThat(claim.leftFor()).containsExactlyInAnyOrder(endpoint.id(), third.id());
    }

    @Test
    void givingBackMovesOnlyTheOwnersLeasesOfPendingDeliveriesInOneGo() {
        var mine = new ArrayList<Long>();
        for (int i = 0; i < 3; i++) {
            mine.add(publishDue(NOW.minusSeconds(10 - i)).key());
        }
        store.deliveries().claimDue(NODE_A, NOW, 10);
        var theirs = publishDue(NOW).key();
        store.deliveries().claimDue(NODE_B, NOW, 10);
        var keys = new ArrayList<>(mine);
        keys.add(theirs);

        int moved = store.deliveries().giveBack(keys, new Lease("node-a", NOW.plusSeconds(2)));

        assertThat(moved).isEqualTo(3);
        assertThat(store.deliveries().claimDue(NODE_B, NOW.plusSeconds(1), 10)).isEmpty();
        // node-b's own lease (until NOW + 30 s) was not shortened
        assertThat(store.deliveries().claimDue(NODE_B, NOW.plusSeconds(2), 10)).extracting(c -> c.delivery().key())
                .containsExactlyElementsOf(mine);
        assertThat(store.deliveries().giveBack(List.of(), NODE_A)).isZero();
    }

    @Test
    void aLeasedDeliveryIsNotReclaimedUntilTheLeaseExpires() {
        var delivery = publishDue(NOW);
        store.deliveries().claimDue(NODE_A, NOW, 10);

        assertThat(store.deliveries().claimDue(NODE_B, NOW.plusSeconds(29), 10)).isEmpty();
        var reclaimed = store.deliveries().claimDue(new Lease("node-b", NOW.plusSeconds(90)), NOW.plusSeconds(30), 10);

        assertThat(reclaimed).extracting(c -> c.delivery().key()).containsExactly(delivery.key());
        assertThat(store.deliveries().claimDue(NODE_A, NOW.plusSeconds(60), 10)).isEmpty();
    }

    @Test
    void releasedLeasesAreClaimableAtOnce() {
        var delivery = publishDue(NOW);
        store.deliveries().claimDue(NODE_A, NOW, 10);

        assertThat(store.deliveries().releaseLeases("node-a", NOW)).isEqualTo(1);

        assertThat(store.deliveries().claimDue(NODE_B, NOW, 10)).extracting(c -> c.delivery().key())
                .containsExactly(delivery.key());
        assertThat(store.deliveries().releaseLeases("node-a", NOW)).isZero();
    }

    @Test
    void pauseAndResumeTakeTheEndpointsDeliveriesOutOfTheQueueAndBack() {
        var due = publishDue(NOW);
        publishDue(NOW.plusSeconds(60));
        var other = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        TestData.publish(store, acme, "job.completed", NOW, other);

        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.ACTIVE),
                EndpointStatus.PAUSED, NOW).orElseThrow().deliveriesAffected()).isEqualTo(2);
        assertThat(store.deliveries().depth(NOW)).isEqualTo(new QueueDepth(1, 0, 2));
        assertThat(store.deliveries().claimDue(NODE_A, NOW.plusSeconds(120), 10))
                .extracting(c -> c.delivery().endpointId()).containsExactly(other.id());
        assertThat(store.deliveries().findByKey(due.key()).orElseThrow().nextAttemptAt()).isEmpty();

        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.PAUSED),
                EndpointStatus.ACTIVE, NOW.plusSeconds(200)).orElseThrow().deliveriesAffected()).isEqualTo(2);
        assertThat(store.deliveries().findByKey(due.key()).orElseThrow().nextAttemptAt())
                .contains(store.deliveries().findByKey(due.key()).orElseThrow().createdAt());
        assertThat(store.deliveries().claimDue(NODE_A, NOW.plusSeconds(200), 10))
                .filteredOn(c -> c.delivery().endpointId().equals(endpoint.id())).hasSize(2);
    }

    @Test
    void disablingCancelsOnlyPendingDeliveriesOfTheEndpoint() {
        var delivered = publishDue(NOW);
        var pending = publishDue(NOW);
        store.deliveries().recordAttempts(List.of(success(delivered, 1)));

        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.ACTIVE),
                EndpointStatus.DISABLED, NOW.plusSeconds(1)).orElseThrow().deliveriesAffected()).isEqualTo(1);

        assertThat(store.deliveries().findByKey(pending.key()).orElseThrow().state()).isEqualTo(DeliveryState.CANCELLED);
        assertThat(store.deliveries().findByKey(delivered.key()).orElseThrow().state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(store.deliveries().depth(NOW.plusSeconds(1))).isEqualTo(new QueueDepth(0, 0, 0));
    }

    @Test
    void retryNowMakesAFinishedDeliveryDueAgainAndKeepsItsAttemptCount() {
        var delivery = publishDue(NOW);
        store.deliveries().recordAttempts(List.of(failure(delivery, 1, Optional.empty())));

        assertThat(store.deliveries().retryNow(delivery.key(), NOW.plusSeconds(100))).isTrue();
        assertThat(store.deliveries().retryNow(999_999, NOW)).isFalse();

        var retried = store.deliveries().findByKey(delivery.key()).orElseThrow();
        assertThat(retried.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(retried.nextAttemptAt()).contains(NOW.plusSeconds(100));
        assertThat(store.deliveries().claimDue(NODE_A, NOW.plusSeconds(100), 10)).hasSize(1);
    }

    @Test
    void requeuesFailedDeliveriesCreatedSinceAGivenTime() {
        var old = publishAt(NOW.minusSeconds(3600));
        var recent = publishAt(NOW);
        var delivered = publishAt(NOW);
        store.deliveries().recordAttempts(List.of(failure(old, 1, Optional.empty()), failure(recent, 1, Optional.empty()),
                success(delivered, 1)));

        assertThat(store.deliveries().requeueFailed(endpoint.id(), NOW.minusSeconds(60), Optional.empty(),
                NOW.plusSeconds(5))).isEqualTo(1);

        assertThat(store.deliveries().findByKey(recent.key()).orElseThrow().state()).isEqualTo(DeliveryState.PENDING);
        assertThat(store.deliveries().findByKey(old.key()).orElseThrow().state()).isEqualTo(DeliveryState.FAILED);
        assertThat(store.deliveries().depth(NOW.plusSeconds(5))).isEqualTo(new QueueDepth(1, 0, 0));
    }

    @Test
    void requeuesOnlyFailedDeliveriesCreatedBeforeUntilWhenGiven() {
        var old = publishAt(NOW.minusSeconds(3600));
        var recent = publishAt(NOW);
        store.deliveries().recordAttempts(List.of(failure(old, 1, Optional.empty()), failure(recent, 1, Optional.empty())));

        assertThat(store.deliveries().requeueFailed(endpoint.id(), NOW.minusSeconds(7200),
                Optional.of(NOW.minusSeconds(60)), NOW.plusSeconds(5))).isEqualTo(1);

        assertThat(store.deliveries().findByKey(old.key()).orElseThrow().state()).isEqualTo(DeliveryState.PENDING);
        assertThat(store.deliveries().findByKey(recent.key()).orElseThrow().state()).isEqualTo(DeliveryState.FAILED);
    }

    @Test
    void listsAnEndpointsDeliveriesNewestFirstOptionallyByState() {
        var keys = new ArrayList<Long>();
        for (int i = 0; i < 5; i++) {
            keys.add(publishDue(NOW).key());
        }
        var delivered = store.deliveries().findByKey(keys.get(1)).orElseThrow();
        store.deliveries().recordAttempts(List.of(success(delivered, 1)));

        var first = store.deliveries().listForEndpoint(endpoint.id(), Optional.empty(), PageRequest.first(3));
        var second = store.deliveries().listForEndpoint(endpoint.id(), Optional.empty(),
                new PageRequest(first.nextCursor(), 3));
        var pendingOnly = store.deliveries().listForEndpoint(endpoint.id(), Optional.of(DeliveryState.PENDING),
                PageRequest.first(10));

        assertThat(first.items()).extracting(Delivery::key).containsExactly(keys.get(4), keys.get(3), keys.get(2));
        assertThat(second.items()).extracting(Delivery::key).containsExactly(keys.get(1), keys.get(0));
        assertThat(second.hasMore()).isFalse();
        assertThat(pendingOnly.items()).extracting(Delivery::key)
                .containsExactly(keys.get(4), keys.get(3), keys.get(2), keys.get(0));
    }

    @Test
    void deliveriesAreFoundByPublicIdOnlyWithinTheirAccount() {
        var delivery = publishDue(NOW);
        var globex = TestData.tenant(store, NOW);

        assertThat(store.deliveries().find(acme.accountId(), delivery.id())).contains(delivery);
        assertThat(store.deliveries().find(globex.accountId(), delivery.id())).isEmpty();
    }

    private Delivery publishDue(Instant dueAt) {
        var event = TestData.event(acme, "job.completed", NOW);
        return store.events().insert(List.of(TestData.draft(event, List.of(endpoint), dueAt)))
                .getFirst().deliveries().getFirst();
    }

    /** {@code count} deliveries to the endpoint, due from {@code from} a millisecond apart, inserted together. */
    private void publishBacklog(int count, Instant from) {
        var drafts = new ArrayList<EventDraft>(count);
        for (int i = 0; i < count; i++) {
            drafts.add(TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(endpoint), from.plusMillis(i)));
        }
        store.events().insert(drafts);
    }

    private static AttemptRecord failure(Delivery delivery, Instant at, Instant next) {
        return new AttemptRecord(delivery.key(), delivery.endpointId(), 1, at, 10, OptionalInt.of(503), "busy",
                Optional.of(ErrorClass.STATUS), Optional.of("HTTP 503"), DeliveryState.PENDING, Optional.of(next));
    }

    private Delivery publishAt(Instant at) {
        return TestData.publish(store, acme, "job.completed", at, endpoint).deliveries().getFirst();
    }

    static AttemptRecord success(Delivery delivery, int number) {
        return new AttemptRecord(delivery.key(), delivery.endpointId(), number, NOW, 12, OptionalInt.of(200), "ok",
                Optional.empty(), Optional.empty(), DeliveryState.DELIVERED, Optional.empty());
    }

    static AttemptRecord failure(Delivery delivery, int number, Optional<Instant> next) {
        return new AttemptRecord(delivery.key(), delivery.endpointId(), number, NOW, 12, OptionalInt.of(500), "boom",
                Optional.of(ErrorClass.STATUS), Optional.of("HTTP 500"),
                next.isPresent() ? DeliveryState.PENDING : DeliveryState.FAILED, next);
    }
}

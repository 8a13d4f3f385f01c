package dev.herald.store.contract;

import dev.herald.core.account.AccountStatus;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.store.AttemptRecord;
import dev.herald.store.DeliveryHistory.Filter;
import dev.herald.store.DeliveryHistory.HourCount;
import dev.herald.store.EventAttempt;
import dev.herald.store.ListOrder;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint's deliveries and attempts read and change the same whether the store has indexed them yet or not:
 * SQLite adds them to their endpoint's index in bulk ({@link dev.herald.store.Store#catchUp()}), so reads and changes
 * of all of one endpoint's rows meet some indexed and some not.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class BulkIndexContractTest extends StoreContractTest {
    private static final Instant FROM = NOW.minus(Duration.ofHours(24));

    private TestTenant acme;
    private Endpoint endpoint;
    private Endpoint other;

    BulkIndexContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void endpoints() {
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        other = TestData.endpoint(store, acme, "https://example.com/b", NOW);
    }

    @Test
    void theHistoryPagesThroughIndexedAndNotYetIndexedDeliveriesOnceEachNewestFirst() {
        var expected = new ArrayList<Long>();
        expected.addAll(publish(3));
        store.catchUp();
        expected.addAll(publish(4));
        var newestFirst = expected.reversed();

        assertThat(history(Filter.ALL, 2)).containsExactlyElementsOf(newestFirst);
        assertThat(history(Filter.ALL, 3)).containsExactlyElementsOf(newestFirst);
        store.deliveries().recordAttempts(List.of(failed(expected.get(1)), failed(expected.get(5))));
        assertThat(history(new Filter(Optional.of(DeliveryState.FAILED), Optional.empty(), Optional.empty()), 1))
                .containsExactly(expected.get(5), expected.get(1));

        store.catchUp();
        assertThat(history(Filter.ALL, 2)).as("once all are indexed").containsExactlyElementsOf(newestFirst);
    }

    @Test
    void countsByStateAndRequeuesFailedDeliveriesIndexedOrNot() {
        var indexed = publish(2);
        store.catchUp();
        var recent = publish(3);
        store.deliveries().recordAttempts(List.of(failed(indexed.get(0)), failed(recent.get(0)), failed(recent.get(1))));

        assertThat(store.deliveries().countByState(endpoint.id())).containsEntry(DeliveryState.FAILED, 3L)
                .containsEntry(DeliveryState.PENDING, 2L);
        assertThat(store.deliveries().countByState(other.id())).containsEntry(DeliveryState.PENDING, 5L);

        assertThat(store.deliveries().requeueFailed(endpoint.id(), NOW.minusSeconds(60), Optional.empty(),
                NOW.plusSeconds(5))).isEqualTo(3);
        assertThat(store.deliveries().countByState(endpoint.id())).containsEntry(DeliveryState.FAILED, 0L)
                .containsEntry(DeliveryState.PENDING, 5L);
    }

    @Test
    void aDeletedAccountsDeliveriesIndexedOrNotArePurgedWithItsEndpoints() {
        var indexed = publish(2);
        store.catchUp();
        var recent = publish(2);
        store.deliveries().recordAttempts(List.of(failed(indexed.get(0)), failed(recent.get(0))));
        store.accounts().setStatus(acme.accountId(), AccountStatus.DELETED);

        while (store.accounts().purge(acme.accountId(), NOW.plusSeconds(3600), 3) > 0) {
            // a batch at a time, as the purger runs it
        }

        assertThat(store.accounts().findInAnyStatus(acme.accountId())).isEmpty();
        for (long key : List.of(indexed.get(0), indexed.get(1), recent.get(0), recent.get(1))) {
            assertThat(store.deliveries().findByKey(key)).isEmpty();
        }
    }

    @Test
    void attemptsIndexedAndNotYetIndexedAreListedOnceEachByTimeInEitherOrder() {
        List<Long> indexed = recordAttempts(3, 0); // minutes 0, 25, 50
        store.catchUp();
        List<Long> recent = recordAttempts(4, 10); // minutes 10, 35, 60, 85
        // by the time they were made: the indexed and the recent interleave
        var expected = List.of(indexed.get(0), recent.get(0), indexed.get(1), recent.get(1), indexed.get(2),
                recent.get(2), recent.get(3));

        assertThat(attemptPages(ListOrder.OLDEST_FIRST)).containsExactlyElementsOf(expected);
        assertThat(attemptPages(ListOrder.NEWEST_FIRST)).containsExactlyElementsOf(expected.reversed());

        store.catchUp();
        assertThat(attemptPages(ListOrder.OLDEST_FIRST)).as("once all are indexed").containsExactlyElementsOf(expected);
        store.catchUp();
        assertThat(attemptPages(ListOrder.NEWEST_FIRST)).as("a catch-up with nothing to do changes nothing")
                .containsExactlyElementsOf(expected.reversed());
    }

    /**
     * Attempts made at the same moment are ordered by key, and a page that ends inside such a run goes on after the
     * one it ended with; a cursor of one key (given before the listing was by time) still names its place.
     */
    @Test
    void attemptsOfOneMomentArePagedByKeyAndAnOldCursorGoesOn() {
        var ids = new ArrayList<Long>();
        ids.addAll(recordAttempts(1, 5));
        store.catchUp();
        ids.addAll(recordAttempts(1, 5));
        ids.addAll(recordAttempts(1, 5));
        ids.addAll(recordAttempts(1, 0));
        var expected = List.of(ids.get(3), ids.get(0), ids.get(1), ids.get(2));

        assertThat(attemptPages(ListOrder.OLDEST_FIRST)).containsExactlyElementsOf(expected);
        assertThat(attemptPages(ListOrder.NEWEST_FIRST)).containsExactlyElementsOf(expected.reversed());

        String oneKey = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Long.toString(ids.get(1)).getBytes(StandardCharsets.US_ASCII));
        assertThat(store.deliveries().attemptsOfEndpoint(endpoint.id(), new PageRequest(Optional.of(oneKey), 10),
                ListOrder.NEWEST_FIRST).items()).extracting(a -> a.attempt().id())
                .containsExactly(ids.get(0), ids.get(3));
        assertThat(store.deliveries().attemptsOfEndpoint(endpoint.id(), new PageRequest(Optional.of(oneKey), 10),
                ListOrder.OLDEST_FIRST).items()).extracting(a -> a.attempt().id()).containsExactly(ids.get(2));
    }

    @Test
    void attemptsPerHourCountIndexedAndNotYetIndexedAttempts() {
        recordAttempts(2, 0);
        store.catchUp();
        recordAttempts(3, 10);
        // minutes 0 ok, 25 failed (indexed); 10 ok, 35 failed, 60 ok (not yet)
        var expected = List.of(new HourCount(0, 2, 2), new HourCount(1, 1, 0));

        assertThat(store.deliveryHistory().attemptsPerHour(endpoint.id(), FROM, 24)).containsExactlyElementsOf(expected);
        store.catchUp();
        assertThat(store.deliveryHistory().attemptsPerHour(endpoint.id(), FROM, 24)).containsExactlyElementsOf(expected);
        assertThat(store.deliveryHistory().attemptsPerHour(other.id(), FROM, 24)).as("the other endpoint's own")
                .containsExactly(new HourCount(0, 4, 0), new HourCount(1, 1, 0));
    }

    @Test
    void attemptsPurgedBeforeOrAfterIndexingLeaveNothingBehind() {
        recordAttempts(2, 0);
        store.catchUp();
        recordAttempts(2, 10);

        assertThat(store.deliveries().purgeFinishedBefore(NOW.plus(Duration.ofDays(1)), 100)).isPositive();
        store.catchUp();

        assertThat(attemptPages(ListOrder.NEWEST_FIRST)).isEmpty();
        assertThat(store.deliveryHistory().attemptsPerHour(endpoint.id(), FROM, 24)).isEmpty();
    }

    /** Publishes {@code count} events to both endpoints; returns the keys of {@link #endpoint}'s deliveries. */
    private List<Long> publish(int count) {
        var keys = new ArrayList<Long>();
        for (int i = 0; i < count; i++) {
            TestData.publish(store, acme, "job.completed", NOW, endpoint, other).deliveries().stream()
                    .filter(d -> d.endpointId().equals(endpoint.id())).map(Delivery::key).forEach(keys::add);
        }
        return keys;
    }

    /** The endpoint's delivery keys, read {@code size} to a page. */
    private List<Long> history(Filter filter, int size) {
        var keys = new ArrayList<Long>();
        Page<Delivery> page = store.deliveryHistory().list(endpoint.id(), filter, PageRequest.first(size));
        page.items().forEach(d -> keys.add(d.key()));
        while (page.hasMore()) {
            page = store.deliveryHistory().list(endpoint.id(), filter, new PageRequest(page.nextCursor(), size));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(size);
            page.items().forEach(d -> keys.add(d.key()));
        }
        return keys;
    }

    private AttemptRecord failed(long deliveryKey) {
        return new AttemptRecord(deliveryKey, endpoint.id(), 1, NOW.plusSeconds(1), 10, OptionalInt.of(500), "err",
                Optional.of(ErrorClass.STATUS), Optional.of("HTTP 500"), DeliveryState.FAILED, Optional.empty());
    }

    /**
     * Publishes {@code count} events to both endpoints and records one attempt of each delivery, alternating success
     * and failure, at {@code minute} plus one minute per event past {@link #FROM} (two hours' worth at most); returns
     * the ids of {@link #endpoint}'s attempts in the order recorded.
     */
    private List<Long> recordAttempts(int count, int minute) {
        var ids = new ArrayList<Long>();
        for (int i = 0; i < count; i++) {
            var published = TestData.publish(store, acme, "job.completed", NOW, endpoint, other);
            Instant at = FROM.plus(Duration.ofMinutes(minute + i * 25L));
            var records = new ArrayList<AttemptRecord>();
            for (var delivery : published.deliveries()) {
                boolean success = delivery.endpointId().equals(other.id()) || i % 2 == 0;
                records.add(new AttemptRecord(delivery.key(), delivery.endpointId(), 1, at, 10,
                        OptionalInt.of(success ? 200 : 500), success ? "ok" : "err",
                        success ? Optional.empty() : Optional.of(ErrorClass.STATUS),
                        success ? Optional.empty() : Optional.of("HTTP 500"),
                        success ? DeliveryState.DELIVERED : DeliveryState.FAILED, Optional.empty()));
            }
            store.deliveries().recordAttempts(records);
            var mine = published.deliveries().stream().filter(d -> d.endpointId().equals(endpoint.id()))
                    .findFirst().orElseThrow();
            ids.add(store.deliveries().attempts(mine.key()).getFirst().id());
        }
        return ids;
    }

    /** The endpoint's attempt ids, read two to a page in {@code order}. */
    private List<Long> attemptPages(ListOrder order) {
        var ids = new ArrayList<Long>();
        Page<EventAttempt> page = store.deliveries().attemptsOfEndpoint(endpoint.id(), PageRequest.first(2), order);
        page.items().forEach(a -> ids.add(a.attempt().id()));
        while (page.hasMore()) {
            page = store.deliveries().attemptsOfEndpoint(endpoint.id(), new PageRequest(page.nextCursor(), 2), order);
            page.items().forEach(a -> ids.add(a.attempt().id()));
        }
        return ids;
    }
}

package dev.herald.store.contract;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.store.AttemptRecord;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint's attempts read the same whether the store has indexed them yet or not: SQLite adds attempts to their
 * endpoint's index in bulk ({@link dev.herald.store.Store#catchUp()}), so a read meets some indexed and some not.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AttemptIndexContractTest extends StoreContractTest {
    private static final Instant FROM = NOW.minus(Duration.ofHours(24));

    private TestTenant acme;
    private Endpoint endpoint;
    private Endpoint other;

    AttemptIndexContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void endpoints() {
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        other = TestData.endpoint(store, acme, "https://example.com/b", NOW);
    }

    @Test
    void attemptsIndexedAndNotYetIndexedAreListedOnceEachInEitherOrder() {
        var expected = new ArrayList<Long>();
        expected.addAll(recordAttempts(3, 0));
        store.catchUp();
        expected.addAll(recordAttempts(4, 10));

        assertThat(allPages(ListOrder.OLDEST_FIRST)).containsExactlyElementsOf(expected);
        assertThat(allPages(ListOrder.NEWEST_FIRST)).containsExactlyElementsOf(expected.reversed());

        store.catchUp();
        assertThat(allPages(ListOrder.OLDEST_FIRST)).as("once all are indexed").containsExactlyElementsOf(expected);
        store.catchUp();
        assertThat(allPages(ListOrder.NEWEST_FIRST)).as("a catch-up with nothing to do changes nothing")
                .containsExactlyElementsOf(expected.reversed());
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

        assertThat(allPages(ListOrder.NEWEST_FIRST)).isEmpty();
        assertThat(store.deliveryHistory().attemptsPerHour(endpoint.id(), FROM, 24)).isEmpty();
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
    private List<Long> allPages(ListOrder order) {
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

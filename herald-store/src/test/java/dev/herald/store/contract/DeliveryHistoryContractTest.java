package dev.herald.store.contract;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.store.AttemptRecord;
import dev.herald.store.DeliveryHistory.Filter;
import dev.herald.store.DeliveryHistory.HourCount;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class DeliveryHistoryContractTest extends StoreContractTest {
    private TestTenant acme;
    private Endpoint endpoint;

    DeliveryHistoryContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void endpoint() {
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW, "job.completed", "job.failed");
    }

    @Test
    void listsDeliveriesNewestFirstFilteredByStateTypeAndTime() {
        var completed = publish("job.completed", NOW);
        var failed = publish("job.failed", NOW.plusSeconds(60));
        var later = publish("job.completed", NOW.plusSeconds(120));
        store.deliveries().recordAttempts(List.of(attempt(failed, NOW.plusSeconds(61), false)));
        var all = PageRequest.first(10);

        assertThat(ids(store.deliveryHistory().list(endpoint.id(), Filter.ALL, all).items()))
                .containsExactly(later.key(), failed.key(), completed.key());
        assertThat(ids(store.deliveryHistory().list(endpoint.id(),
                new Filter(Optional.of(DeliveryState.FAILED), Optional.empty(), Optional.empty()), all).items()))
                .containsExactly(failed.key());
        assertThat(ids(store.deliveryHistory().list(endpoint.id(),
                new Filter(Optional.empty(), Optional.of("job.completed"), Optional.empty()), all).items()))
                .containsExactly(later.key(), completed.key());
        assertThat(ids(store.deliveryHistory().list(endpoint.id(),
                new Filter(Optional.empty(), Optional.of("job.completed"), Optional.of(NOW.plusSeconds(1))), all)
                .items())).containsExactly(later.key());
    }

    @Test
    void pagesThroughTheHistoryWithACursor() {
        var first = publish("job.completed", NOW);
        var second = publish("job.completed", NOW.plusSeconds(1));

        var page = store.deliveryHistory().list(endpoint.id(), Filter.ALL, PageRequest.first(1));
        assertThat(ids(page.items())).containsExactly(second.key());
        assertThat(page.hasMore()).isTrue();
        var next = store.deliveryHistory().list(endpoint.id(), Filter.ALL,
                new PageRequest(page.nextCursor(), 1));
        assertThat(ids(next.items())).containsExactly(first.key());
        assertThat(next.hasMore()).isFalse();
    }

    @Test
    void countsAttemptsPerHourOfTheWindow() {
        var a = publish("job.completed", NOW);
        var b = publish("job.completed", NOW);
        var c = publish("job.failed", NOW);
        Instant from = NOW.minus(Duration.ofHours(24));
        store.deliveries().recordAttempts(List.of(
                attempt(a, from.plusSeconds(10), true),
                attempt(b, from.plus(Duration.ofMinutes(90)), true),
                attempt(c, from.plus(Duration.ofMinutes(100)), false),
                attempt(c, from.minusSeconds(1), false)));

        assertThat(store.deliveryHistory().attemptsPerHour(endpoint.id(), from, 24))
                .containsExactly(new HourCount(0, 1, 0), new HourCount(1, 1, 1));
    }

    private Delivery publish(String type, Instant at) {
        return TestData.publish(store, acme, type, at, endpoint).deliveries().getFirst();
    }

    private static List<Long> ids(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::key).toList();
    }

    private static AttemptRecord attempt(Delivery delivery, Instant at, boolean success) {
        return new AttemptRecord(delivery.key(), delivery.endpointId(), 1, at, 10,
                OptionalInt.of(success ? 200 : 500), success ? "ok" : "err",
                success ? Optional.empty() : Optional.of(ErrorClass.STATUS),
                success ? Optional.empty() : Optional.of("HTTP 500"),
                success ? DeliveryState.DELIVERED : DeliveryState.FAILED, Optional.empty());
    }
}

package dev.herald.store.contract;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.AttemptRecord;
import dev.herald.store.PageRequest;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class AttemptRecordingContractTest extends StoreContractTest {
    private TestTenant acme;
    private Endpoint endpoint;

    AttemptRecordingContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void endpoint() {
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
    }

    @Test
    void aSuccessDeliversAndCountsAndStoresTheAttemptWithATruncatedBody() {
        var delivery = publish();
        var at = NOW.plusSeconds(1);
        var record = new AttemptRecord(delivery.key(), endpoint.id(), 1, at, 42, OptionalInt.of(204), "x".repeat(5000),
                Optional.empty(), Optional.empty(), DeliveryState.DELIVERED, Optional.empty());

        var standings = store.deliveries().recordAttempts(List.of(record));

        // an active endpoint with a closed circuit whose attempts all delivered: nothing follows, no standing
        assertThat(standings).isEmpty();
        var stats = new EndpointStats(1, 0, 0, Optional.of(at), Optional.empty(), Optional.of(at), Optional.empty());
        var stored = store.deliveries().findByKey(delivery.key()).orElseThrow();
        assertThat(stored.state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.nextAttemptAt()).isEmpty();
        assertThat(stored.firstFailedAt()).isEmpty();
        assertThat(store.deliveries().attempts(delivery.key())).singleElement().satisfies(a -> {
            assertThat(a.responseStatus()).hasValue(204);
            assertThat(a.responseBody()).hasSize(Attempt.MAX_BODY_CHARS);
            assertThat(a.durationMillis()).isEqualTo(42);
            assertThat(a.succeeded()).isTrue();
            assertThat(a.attemptedAt()).isEqualTo(at);
        });
        assertThat(store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().stats()).isEqualTo(stats);
    }

    @Test
    void standingsAreGivenForEveryEndpointWhoseBatchFailedOrThatIsNotActiveAndClosed() {
        var failing = TestData.endpoint(store, acme, "https://example.com/failing", NOW);
        var paused = TestData.endpoint(store, acme, "https://example.com/paused", NOW);
        var delivered = publish();
        var failedOnce = TestData.publish(store, acme, "job.completed", NOW, failing).deliveries().getFirst();
        var toPaused = TestData.publish(store, acme, "job.completed", NOW, paused).deliveries().getFirst();
        store.endpoints().setStatus(paused.id(), EndpointStatus.PAUSED, NOW);
        var at = NOW.plusSeconds(1);

        var standings = store.deliveries().recordAttempts(List.of(success(delivered, at),
                failure(failedOnce, 1, at, Optional.of(at.plusSeconds(60)), "HTTP 500"),
                success(toPaused, at)));

        assertThat(standings).containsOnlyKeys(failing.id(), paused.id());
        assertThat(standings.get(failing.id()).stats().failed()).isEqualTo(1);
        assertThat(standings.get(failing.id()).status()).isEqualTo(EndpointStatus.ACTIVE);
        assertThat(standings.get(paused.id()).status()).isEqualTo(EndpointStatus.PAUSED);
        assertThat(standings.get(paused.id()).stats().successful()).isEqualTo(1);
    }

    @Test
    void failuresScheduleARetryAndRememberTheFirstFailure() {
        var delivery = publish();
        var first = failure(delivery, 1, NOW.plusSeconds(1), Optional.of(NOW.plusSeconds(61)), "HTTP 500");
        var second = failure(delivery, 2, NOW.plusSeconds(61), Optional.of(NOW.plusSeconds(361)), "timeout");

        store.deliveries().recordAttempts(List.of(first));
        var stats = store.deliveries().recordAttempts(List.of(second)).get(endpoint.id()).stats();

        var stored = store.deliveries().findByKey(delivery.key()).orElseThrow();
        assertThat(stored.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(stored.attempts()).isEqualTo(2);
        assertThat(stored.nextAttemptAt()).contains(NOW.plusSeconds(361));
        assertThat(stored.firstFailedAt()).contains(NOW.plusSeconds(1));
        assertThat(stats).isEqualTo(new EndpointStats(0, 2, 2, Optional.empty(), Optional.of(NOW.plusSeconds(61)),
                Optional.of(NOW.plusSeconds(61)), Optional.of("timeout")));
        assertThat(store.deliveries().attempts(delivery.key())).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(store.deliveries().attempts(delivery.key()).getFirst().errorClass()).contains(ErrorClass.STATUS);
    }

    @Test
    void aRecordedAttemptReleasesTheLease() {
        var delivery = publish();
        store.deliveries().claimDue(new dev.herald.store.Lease("node-a", NOW.plusSeconds(600)), NOW, 10);

        store.deliveries().recordAttempts(List.of(failure(delivery, 1, NOW, Optional.of(NOW.plusSeconds(5)), "HTTP 503")));

        assertThat(store.deliveries().claimDue(new dev.herald.store.Lease("node-b", NOW.plusSeconds(600)),
                NOW.plusSeconds(5), 10)).hasSize(1);
    }

    @Test
    void countersFollowTheOrderOfOutcomesInsideOneBatch() {
        var a = publish();
        var b = publish();
        var c = publish();
        var other = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        var d = TestData.publish(store, acme, "job.completed", NOW, other).deliveries().getFirst();

        var stats = store.deliveries().recordAttempts(List.of(
                failure(a, 1, NOW.plusSeconds(1), Optional.of(NOW.plusSeconds(60)), "HTTP 500"),
                success(b, NOW.plusSeconds(2)),
                failure(c, 1, NOW.plusSeconds(3), Optional.empty(), "HTTP 502"),
                success(d, NOW.plusSeconds(4))));

        // the other endpoint's attempt delivered (and it is active, its circuit closed): it has no standing
        assertThat(stats).containsOnlyKeys(endpoint.id());
        assertThat(stats.get(endpoint.id()).stats()).isEqualTo(new EndpointStats(1, 2, 1, Optional.of(NOW.plusSeconds(2)),
                Optional.of(NOW.plusSeconds(3)), Optional.of(NOW.plusSeconds(3)), Optional.of("HTTP 502")));
        assertThat(store.endpoints().find(acme.accountId(), other.id()).orElseThrow().stats().successful())
                .isEqualTo(1);
        assertThat(store.deliveries().findByKey(c.key()).orElseThrow().state()).isEqualTo(DeliveryState.FAILED);
    }

    @Test
    void countersAccumulateExactlyAcrossBatches() {
        for (int round = 0; round < 3; round++) {
            var failed = publish();
            var failedAgain = publish();
            store.deliveries().recordAttempts(List.of(
                    failure(failed, 1, NOW, Optional.of(NOW.plusSeconds(60)), "HTTP 500"),
                    failure(failedAgain, 1, NOW, Optional.of(NOW.plusSeconds(60)), "HTTP 500")));
        }
        var afterFailures = store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().stats();
        assertThat(store.deliveries().recordAttempts(List.of(success(publish(), NOW.plusSeconds(9))))).isEmpty();
        var afterSuccess = store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().stats();

        assertThat(afterFailures.failed()).isEqualTo(6);
        assertThat(afterFailures.consecutiveFailures()).isEqualTo(6);
        assertThat(afterSuccess.failed()).isEqualTo(6);
        assertThat(afterSuccess.successful()).isEqualTo(1);
        assertThat(afterSuccess.consecutiveFailures()).isZero();
        assertThat(afterSuccess.lastError()).contains("HTTP 500");
        assertThat(afterSuccess.totalAttempts()).isEqualTo(7);
    }

    @Test
    void aDeliveryCancelledWhileInFlightStaysCancelled() {
        var delivery = publish();
        store.endpoints().setStatus(endpoint.id(), EndpointStatus.DISABLED, NOW);

        store.deliveries().recordAttempts(List.of(success(delivery, NOW.plusSeconds(1))));

        var stored = store.deliveries().findByKey(delivery.key()).orElseThrow();
        assertThat(stored.state()).isEqualTo(DeliveryState.CANCELLED);
        assertThat(stored.attempts()).isZero();
    }

    /**
     * Attempts are inserted by a join on their deliveries: one of a delivery that is gone is not stored, and each is
     * filed under its delivery's endpoint (so PostgreSQL needs no foreign key from attempts to endpoints; V16).
     */
    @Test
    void anAttemptOfADeliveryThatIsGoneIsNotStoredAndEachIsFiledUnderItsDeliverysEndpoint() {
        var delivery = publish();
        var other = TestData.endpoint(store, acme, "https://example.com/other", NOW);
        long gone = delivery.key() + 1_000;
        var ofGone = new AttemptRecord(gone, endpoint.id(), 1, NOW, 10, OptionalInt.of(200), "ok", Optional.empty(),
                Optional.empty(), DeliveryState.DELIVERED, Optional.empty());
        var namingAnother = new AttemptRecord(delivery.key(), other.id(), 1, NOW.plusSeconds(1), 10,
                OptionalInt.of(200), "ok", Optional.empty(), Optional.empty(), DeliveryState.DELIVERED,
                Optional.empty());

        store.deliveries().recordAttempts(List.of(ofGone, namingAnother));

        assertThat(store.deliveries().attempts(gone)).isEmpty();
        assertThat(store.deliveries().findByKey(gone)).isEmpty();
        assertThat(store.deliveries().attempts(delivery.key())).singleElement()
                .satisfies(a -> assertThat(a.succeeded()).isTrue());
        assertThat(store.deliveries().attemptsOfEndpoint(endpoint.id(), PageRequest.first(10)).items())
                .singleElement().satisfies(a -> assertThat(a.attempt().attemptedAt()).isEqualTo(NOW.plusSeconds(1)));
        assertThat(store.deliveries().attemptsOfEndpoint(other.id(), PageRequest.first(10)).items()).isEmpty();
    }

    @Test
    void anEmptyBatchChangesNothing() {
        assertThat(store.deliveries().recordAttempts(List.of())).isEmpty();
    }

    private Delivery publish() {
        return TestData.publish(store, acme, "job.completed", NOW, endpoint).deliveries().getFirst();
    }

    private static AttemptRecord success(Delivery delivery, Instant at) {
        return new AttemptRecord(delivery.key(), delivery.endpointId(), delivery.attempts() + 1, at, 10,
                OptionalInt.of(200), "ok", Optional.empty(), Optional.empty(), DeliveryState.DELIVERED, Optional.empty());
    }

    private static AttemptRecord failure(Delivery delivery, int number, Instant at, Optional<Instant> next,
                                         String message) {
        return new AttemptRecord(delivery.key(), delivery.endpointId(), number, at, 10, OptionalInt.of(500), "err",
                Optional.of(ErrorClass.STATUS), Optional.of(message),
                next.isPresent() ? DeliveryState.PENDING : DeliveryState.FAILED, next);
    }
}

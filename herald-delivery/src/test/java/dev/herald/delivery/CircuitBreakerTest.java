package dev.herald.delivery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishOutcome;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.delivery.send.SendResult;
import dev.herald.store.AttemptRecord;
import dev.herald.store.testing.StoreKind;
import dev.herald.testing.Await;
import dev.herald.testing.MutableClock;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker at small scale (issue 24): a receiver that is down while events keep being published gets
 * its first failures and the probes of its oldest delivery only; after it recovers every held delivery arrives and
 * none is counted as failed; another endpoint of the account is not held back at all.
 */
class CircuitBreakerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int DURING_OUTAGE = 60;

    @TempDir
    Path dir;
    private WebhookReceiver receiver;
    private EngineFixture f;
    private final AtomicBoolean down = new AtomicBoolean(true);

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
        receiver.on("/down", (exchange, closing) ->
                WebhookReceiver.status(down.get() ? 503 : 200).answer(exchange, closing));
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
        receiver.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDownReceiverGetsOnlyProbesAndEveryHeldDeliveryArrivesAfterItRecovers(StoreKind kind) {
        var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        f = EngineFixture.start(kind, dir, clock, s -> s);
        var flaky = f.endpoint(receiver.url("/down"), "order.created");
        var healthy = f.endpoint(receiver.url("/ok"), "order.created");
        var ops = f.endpoint(receiver.url("/ops"), EventCatalog.ENDPOINT_CIRCUIT_OPENED.name(),
                EventCatalog.ENDPOINT_CIRCUIT_CLOSED.name());
        var receipts = new ArrayList<PublishReceipt>();

        // three failures in a row: failing, and the circuit opens
        for (int i = 0; i < 3; i++) {
            receipts.add(f.publish("order.created"));
        }
        Await.until("the circuit opens", WAIT, () -> f.reload(flaky).circuit() == Circuit.OPEN);
        assertThat(f.reload(flaky).status()).isEqualTo(EndpointStatus.FAILING);
        Await.until("endpoint.circuit_opened announced", WAIT, () -> receiver.requests("/ops").size() == 1);
        assertThat(receiver.requests("/ops").getFirst().bodyText()).contains("\"type\":\"endpoint.circuit_opened\"")
                .contains("\"endpoint_id\":\"" + flaky.publicId() + "\"");
        int firstFailures = receiver.requests("/down").size();
        assertThat(firstFailures).isEqualTo(3);

        // the outage goes on while events keep coming: held, not sent; the healthy endpoint gets every one
        for (int i = 0; i < DURING_OUTAGE; i++) {
            receipts.add(f.publish("order.created"));
        }
        Await.until("the healthy endpoint has them all", WAIT,
                () -> receiver.requests("/ok").size() == receipts.size());
        Await.until("held", WAIT, () -> f.store.deliveries().held(flaky.id()) == receipts.size() - 1);
        Delivery probe = f.deliveryOf(receipts.getFirst(), flaky);
        // only the oldest delivery probes, on its own schedule: 1 min, then 5 min after that
        clock.advance(Duration.ofMinutes(1));
        Await.until("second attempt of the probe", WAIT, () -> f.attempts(probe).size() == 2);
        clock.advance(Duration.ofMinutes(5));
        Await.until("third attempt of the probe", WAIT, () -> f.attempts(probe).size() == 3);
        assertThat(receiver.requests("/down")).hasSize(firstFailures + 2);
        assertThat(f.reload(flaky).circuit()).isEqualTo(Circuit.OPEN);

        // the receiver is back: the next probe succeeds, the held deliveries follow at a ramp, the circuit closes
        down.set(false);
        clock.advance(Duration.ofMinutes(30));
        Await.until("every delivery arrived", WAIT, () -> receipts.stream()
                .allMatch(r -> f.reload(f.deliveryOf(r, flaky)).state() == DeliveryState.DELIVERED));
        Await.until("closed", WAIT, () -> f.reload(flaky).circuit() == Circuit.CLOSED);
        Endpoint recovered = f.reload(flaky);
        assertThat(recovered.status()).isEqualTo(EndpointStatus.ACTIVE);
        assertThat(f.store.deliveries().held(flaky.id())).isZero();
        // each event once after recovery; the failed attempts are those of the outage only, no delivery failed
        assertThat(receiver.requests("/down")).hasSize(firstFailures + 2 + receipts.size());
        assertThat(recovered.stats().failed()).isEqualTo(firstFailures + 2);
        assertThat(f.deliveriesOf(flaky)).noneMatch(d -> d.state() == DeliveryState.FAILED);
        Await.until("endpoint.circuit_closed announced", WAIT, () -> receiver.requests("/ops").size() == 2);
        assertThat(receiver.requests("/ops").get(1).bodyText()).contains("\"type\":\"endpoint.circuit_closed\"");
        assertThat(f.reload(healthy).stats().failed()).isZero();
        assertThat(f.reload(ops).stats().failed()).isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void withTheBreakerOffEveryDeliveryKeepsTryingOnItsOwn(StoreKind kind) {
        var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        f = EngineFixture.start(kind, dir, clock, s -> s.withBreaker(false));
        var flaky = f.endpoint(receiver.url("/down"), "order.created");
        List<PublishReceipt> receipts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            receipts.add(f.publish("order.created"));
        }

        Await.until("every delivery attempted", WAIT, () -> receiver.requests("/down").size() == 10);
        Await.until("failing", WAIT, () -> f.reload(flaky).status() == EndpointStatus.FAILING);
        // every first attempt recorded (its retry scheduled from the clock before it moves on)
        Await.until("every first attempt recorded", WAIT,
                () -> f.deliveriesOf(flaky).stream().allMatch(d -> d.attempts() == 1));
        clock.advance(Duration.ofMinutes(1));
        Await.until("every delivery retried", WAIT, () -> receiver.requests("/down").size() == 20);
        assertThat(f.reload(flaky).circuit()).isEqualTo(Circuit.CLOSED);
        assertThat(f.store.deliveries().held(flaky.id())).isZero();
    }

    /**
     * Two nodes: one opens the circuit, and the other, whose copy of the endpoint was read before that and still says
     * active and closed, delivers the probe. The success moves the stored circuit on all the same (it was left open
     * before, holding every other delivery for good: seen as a stalled FIFO endpoint in the two-node crash test).
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProbeDeliveredByANodeWithAnOldCopyOfTheEndpointStillClosesTheCircuit(StoreKind kind) {
        var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        f = EngineFixture.start(kind, dir, clock, s -> s.withNodeId("node-a"));
        var flaky = f.endpoint(receiver.url("/down"), "order.created");
        DeliveryEngine other = f.newEngine(f.settings.withNodeId("node-b").withEndpointCacheTtl(Duration.ofHours(1)));
        other.start();
        try {
            // node b reads the endpoint while it is healthy, and keeps that copy
            down.set(false);
            var first = other.publisher().publish(new PublishRequest(f.tenant.accountId(), Optional.of(f.tenant.keyId()),
                    "order.created", JsonNodeFactory.instance.objectNode().put("order", 1), Optional.empty(),
                    Optional.empty()));
            Await.until("node b delivered", WAIT, () -> f.reload(f.deliveryOf(first, flaky)).state()
                    == DeliveryState.DELIVERED);

            // node a fails three in a row and opens the circuit; then it stops
            down.set(true);
            var receipts = new ArrayList<PublishReceipt>();
            for (int i = 0; i < 3; i++) {
                receipts.add(f.publish("order.created"));
            }
            Await.until("the circuit opens", WAIT, () -> f.reload(flaky).circuit() == Circuit.OPEN);
            f.engine.close();
            f.engine = null;

            // the receiver is back; node b claims the probe when it is due and delivers it
            down.set(false);
            clock.advance(Duration.ofMinutes(1));
            Await.until("every delivery arrived", WAIT, () -> receipts.stream()
                    .allMatch(r -> f.reload(f.deliveryOf(r, flaky)).state() == DeliveryState.DELIVERED));
            Await.until("closed", WAIT, () -> f.reload(flaky).circuit() == Circuit.CLOSED);
            assertThat(f.reload(flaky).status()).isEqualTo(EndpointStatus.ACTIVE);
            assertThat(f.store.deliveries().held(flaky.id())).isZero();
        } finally {
            other.close();
        }
    }

    /**
     * A node records the probe's success and dies before it moves the circuit on: the circuit stays open with no
     * pending probe and everything else held, which nothing else would ever release. The poller's sweep finds it and
     * releases a new probe, and the endpoint recovers.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anOpenCircuitLeftWithoutAProbeByADeadNodeIsProbedAgainAndCloses(StoreKind kind) {
        var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        var opened = openACircuitAndStop(kind, clock);
        var flaky = opened.endpoint();
        var receipts = opened.receipts();
        Delivery probe = opened.probe();
        // what the dead node wrote: the probe's success, and not the circuit's next step
        f.store.deliveries().recordAttempts(List.of(new AttemptRecord(probe.key(), flaky.id(),
                probe.attempts() + 1, clock.instant(), 5, OptionalInt.of(200), "", Optional.empty(),
                Optional.empty(), DeliveryState.DELIVERED, Optional.empty())));
        assertThat(f.store.endpoints().stalledCircuits()).containsKey(flaky.id());

        down.set(false);
        // a sweep every 200 ms rather than every 10 s: the test waits for one
        DeliveryEngine next = f.newEngine(f.settings.withNodeId("node-b").withSweepInterval(Duration.ofMillis(200)));
        next.start();
        try {
            Await.until("every delivery arrived", WAIT, () -> receipts.stream()
                    .allMatch(r -> f.reload(f.deliveryOf(r, flaky)).state() == DeliveryState.DELIVERED));
            Await.until("closed", WAIT, () -> f.reload(flaky).circuit() == Circuit.CLOSED);
            assertThat(f.reload(flaky).status()).isEqualTo(EndpointStatus.ACTIVE);
        } finally {
            next.close();
        }
    }

    /**
     * One batch of results holds the probe's success and, after it, the failure of a delivery that was in flight
     * when the circuit opened: the streak is not over (a failure came last), but the probe got through. The circuit
     * moves on at once; before, it stayed open with its probe delivered and everything else held until the poller's
     * sweep found it.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aProbeThatSucceedsInTheBatchOfALaterFailureStillMovesTheCircuitOn(StoreKind kind) {
        var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        var opened = openACircuitAndStop(kind, clock);
        var flaky = opened.endpoint();
        Delivery probe = opened.probe();
        Delivery other = opened.receipts().stream().map(r -> f.reload(f.deliveryOf(r, flaky)))
                .filter(d -> d.state() == DeliveryState.PENDING && !d.equals(probe))
                .findFirst().orElseThrow();

        Instant now = clock.instant();
        var succeeded = new AttemptRecord(probe.key(), flaky.id(), probe.attempts() + 1, now, 5,
                OptionalInt.of(200), "", Optional.empty(), Optional.empty(), DeliveryState.DELIVERED,
                Optional.empty());
        var failed = new AttemptRecord(other.key(), flaky.id(), other.attempts() + 1, now, 5,
                OptionalInt.of(503), "", Optional.of(ErrorClass.STATUS),
                Optional.of("503"), DeliveryState.PENDING, Optional.of(now.plus(Duration.ofHours(1))));
        var standings = f.store.deliveries().recordAttempts(List.of(succeeded, failed));
        Endpoint endpoint = f.reload(flaky);
        var outcomes = List.of(
                new AttemptOutcome(probe, endpoint, new SendResult(
                        OptionalInt.of(200), "", Optional.empty(), Optional.empty(), 5, Optional.empty()),
                        succeeded),
                new AttemptOutcome(other, endpoint, SendResult.failure(
                        ErrorClass.STATUS, "503", 5), failed));
        var events = new OperationalEvents(new NoPublisher(), DeliveryObserver.NONE);
        try {
            var health = new EndpointHealth(f.store.endpoints(), new EndpointCache(f.store.endpoints(), clock,
                    Duration.ZERO), id -> { }, events, clock, f.settings.health(), 4, () -> { });

            health.apply(outcomes, standings);

            assertThat(f.reload(flaky).circuit()).isEqualTo(Circuit.HALF_OPEN);
            assertThat(f.store.endpoints().stalledCircuits()).doesNotContainKey(flaky.id());
        } finally {
            events.close();
        }
    }

    /** An endpoint whose circuit node-a opened before it stopped, the events published to it, and its probe. */
    private record Opened(Endpoint endpoint, List<PublishReceipt> receipts, Delivery probe) {
    }

    /** Five events to a down receiver open its endpoint's circuit; then the engine (node-a) stops. */
    private Opened openACircuitAndStop(StoreKind kind, MutableClock clock) {
        f = EngineFixture.start(kind, dir, clock, s -> s.withNodeId("node-a"));
        var flaky = f.endpoint(receiver.url("/down"), "order.created");
        var receipts = new ArrayList<PublishReceipt>();
        for (int i = 0; i < 5; i++) {
            receipts.add(f.publish("order.created"));
        }
        Await.until("the circuit opens", WAIT, () -> f.reload(flaky).circuit() == Circuit.OPEN);
        f.engine.close();
        f.engine = null;
        Delivery probe = receipts.stream().map(r -> f.reload(f.deliveryOf(r, flaky)))
                .filter(d -> d.state() == DeliveryState.PENDING && d.nextAttemptAt().isPresent())
                .findFirst().orElseThrow();
        return new Opened(flaky, receipts, probe);
    }

    /** Operational events go nowhere: the test reads the circuit from the store. */
    private static final class NoPublisher implements EventPublisher {
        @Override
        public PublishReceipt publish(PublishRequest request) {
            throw new UnsupportedOperationException("not published in this test");
        }

        @Override
        public List<PublishOutcome> publishAll(List<PublishRequest> requests) {
            throw new UnsupportedOperationException("not published in this test");
        }
    }
}

package dev.herald.delivery;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.signing.SigningSecret;
import dev.herald.delivery.publish.PublishReceipt;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FIFO endpoints (issue 24): deliveries arrive in publish order, one at a time, whatever the receiver does, across a
 * pause and behind an open circuit.
 */
class FifoDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private WebhookReceiver receiver;
    private EngineFixture f;
    /** The sequence numbers of the first successful receipt of each event, in arrival order. */
    private final List<Long> firsts = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> received = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
        receiver.close();
    }

    /** Answers 200 unless {@code fails} says otherwise, and notes each event's first 200. */
    private WebhookReceiver.Behaviour recording(java.util.function.BooleanSupplier fails) {
        return (exchange, closing) -> {
            if (fails.getAsBoolean()) {
                WebhookReceiver.status(500).answer(exchange, closing);
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (received.add(id)) {
                firsts.add(Long.parseLong(exchange.getRequestHeaders().getFirst("webhook-sequence")));
            }
            WebhookReceiver.status(200).answer(exchange, closing);
        };
    }

    private Endpoint fifoEndpoint(String path, List<Duration> schedule) {
        Endpoint endpoint = f.store.endpoints().create(new NewEndpoint(f.tenant.accountId(), receiver.url(path),
                List.of("order.created"), Optional.empty(), f.tenant.keyId(), Optional.empty(), OptionalInt.empty(),
                Map.of(), SigningSecret.generate(), Destination.WEBHOOK, EndpointProfile.NONE,
                Optional.of(schedule), Ordering.FIFO),
                f.clock.instant());
        f.engine.endpointChanged(endpoint.id());
        return endpoint;
    }

    /** The receiver is back and the next retry is due: all {@code count} events arrive in order; the circuit closes. */
    private void receiverBack(MutableClock clock, AtomicBoolean down, Endpoint endpoint, int count) {
        down.set(false);
        clock.advance(Duration.ofMinutes(1));
        Await.until("all " + count + " received", WAIT, () -> received.size() == count);
        assertStrictlyIncreasingFromOne(firsts, count);
        Await.until("closed", WAIT, () -> f.reload(endpoint).circuit() == Circuit.CLOSED);
    }

    private static void assertStrictlyIncreasingFromOne(List<Long> sequences, int count) {
        assertThat(sequences).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(sequences.get(i)).as("first receipt number %d", i).isEqualTo(i + 1L);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eventsArriveInPublishOrderThoughTheReceiverFailsOneRequestInFive(StoreKind kind) throws Exception {
        // 5,000 as the issue asks; on PostgreSQL 2,000, as each delivery there costs about twice the round trips
        int events = kind == StoreKind.SQLITE ? 5_000 : 2_000;
        f = EngineFixture.start(kind, dir, Clock.systemUTC(), s -> s);
        var random = new Random(24);
        receiver.on("/fifo", recording(() -> {
            synchronized (random) {
                return random.nextDouble() < 0.2;
            }
        }));
        // retried at once, 20 times: the head's failures cost no waiting, and none fails for good
        var endpoint = fifoEndpoint("/fifo", Collections.nCopies(20, Duration.ZERO));

        ExecutorService publishers = Executors.newFixedThreadPool(8);
        for (int i = 0; i < events; i++) {
            publishers.execute(() -> f.publish("order.created"));
        }
        publishers.shutdown();
        assertThat(publishers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

        Await.until("every event received", Duration.ofMinutes(5), () -> received.size() == events);
        assertStrictlyIncreasingFromOne(firsts, events);
        assertThat(receiver.requests("/fifo").size()).isGreaterThan(events); // some were retried
        assertThat(f.deliveriesOf(endpoint)).allMatch(d -> d.state() == DeliveryState.DELIVERED
                || d.state() == DeliveryState.PENDING); // (the listing shows the newest 250)
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aPausedFifoEndpointResumesInOrder(StoreKind kind) {
        f = EngineFixture.start(kind, dir, Clock.systemUTC(), s -> s);
        receiver.on("/fifo", recording(() -> false));
        var endpoint = fifoEndpoint("/fifo", List.of(Duration.ZERO));
        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, f.clock.instant());
        f.engine.endpointChanged(endpoint.id());
        for (int i = 0; i < 40; i++) {
            f.publish("order.created");
        }
        assertThat(f.store.deliveries().held(endpoint.id())).isEqualTo(40);
        assertThat(receiver.requests("/fifo")).isEmpty();

        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.ACTIVE, f.clock.instant());
        f.engine.endpointChanged(endpoint.id());

        Await.until("all 40 received", WAIT, () -> received.size() == 40);
        assertStrictlyIncreasingFromOne(firsts, 40);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anOpenCircuitHoldsEverythingBehindTheHeadUntilItRecovers(StoreKind kind) {
        var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        f = EngineFixture.start(kind, dir, clock, s -> s);
        var down = new AtomicBoolean(true);
        receiver.on("/fifo", recording(down::get));
        var endpoint = fifoEndpoint("/fifo", Collections.nCopies(10, Duration.ofMinutes(1)));
        var receipts = new ArrayList<PublishReceipt>();
        for (int i = 0; i < 10; i++) {
            receipts.add(f.publish("order.created"));
        }

        // only the head is ever sent: it fails three times, a minute apart, and the circuit opens
        var head = f.deliveryOf(receipts.getFirst(), endpoint);
        for (int n = 1; n <= 3; n++) {
            int expected = n;
            // recorded, not only received: the retry time counts from the recorded attempt's end
            Await.until("attempt " + n + " of the head", WAIT, () -> f.attempts(head).size() == expected);
            clock.advance(Duration.ofMinutes(1));
        }
        Await.until("the circuit opens", WAIT, () -> f.reload(endpoint).circuit() == Circuit.OPEN);
        assertThat(f.store.deliveries().held(endpoint.id())).isEqualTo(9);
        assertThat(receiver.requests("/fifo")).allMatch(r -> r.header("webhook-sequence").equals("1"));
        for (int i = 0; i < 5; i++) {
            receipts.add(f.publish("order.created"));
        }
        assertThat(f.store.deliveries().held(endpoint.id())).isEqualTo(14);

        receiverBack(clock, down, endpoint, 15);
        assertThat(f.reload(endpoint).status()).isEqualTo(EndpointStatus.ACTIVE);
        assertThat(receipts).allMatch(r -> f.reload(f.deliveryOf(r, endpoint)).state() == DeliveryState.DELIVERED);
    }

    /**
     * A delivered event retried by hand while the circuit is open goes out as the head (its number is the smallest),
     * fails and is held as everything but the probe is: the probe waits behind it. The sweep finds the circuit
     * stalled and makes the held head the probe; once the receiver is back everything arrives, in order.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeliveryRetriedByHandBehindAnOpenCircuitBecomesItsProbe(StoreKind kind) {
        var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        f = EngineFixture.start(kind, dir, clock, s -> s.withSweepInterval(Duration.ofMillis(200)));
        var down = new AtomicBoolean(false);
        receiver.on("/fifo", recording(down::get));
        var endpoint = fifoEndpoint("/fifo", Collections.nCopies(10, Duration.ofMinutes(1)));
        var first = f.deliveryOf(f.publish("order.created"), endpoint);
        Await.until("the first delivered", WAIT, () -> f.reload(first).state() == DeliveryState.DELIVERED);

        down.set(true);
        var second = f.deliveryOf(f.publish("order.created"), endpoint);
        f.publish("order.created");
        for (int n = 1; n <= 3; n++) {
            int expected = n;
            Await.until("attempt " + n + " of the second", WAIT, () -> f.attempts(second).size() == expected);
            clock.advance(Duration.ofMinutes(1));
        }
        Await.until("the circuit opens", WAIT, () -> f.reload(endpoint).circuit() == Circuit.OPEN);

        assertThat(f.engine.retryNow(f.reload(first))).isTrue();
        Await.until("the retried first sent and held", WAIT, () -> f.attempts(first).size() == 2
                && f.reload(first).state() == DeliveryState.PENDING && f.reload(first).nextAttemptAt().isEmpty());

        receiverBack(clock, down, endpoint, 3);
        assertThat(f.reload(first).state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(receiver.requests("/fifo").stream().filter(r -> r.header("webhook-sequence").equals("1")).count())
                .as("the first: delivered, retried by hand and failed, then delivered as the probe").isEqualTo(3);
    }
}

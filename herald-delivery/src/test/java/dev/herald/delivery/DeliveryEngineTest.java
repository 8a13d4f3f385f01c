package dev.herald.delivery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.standardwebhooks.Webhook;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EventId;
import dev.herald.core.signing.SigningSecret;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.store.testing.StoreKind;
import dev.herald.testing.Await;
import dev.herald.testing.MutableClock;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryEngineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private WebhookReceiver receiver;
    private EngineFixture f;

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

    private EngineFixture start(StoreKind kind, Clock clock) {
        return start(kind, clock, s -> s);
    }

    private EngineFixture start(StoreKind kind, Clock clock, UnaryOperator<DeliverySettings> tweak) {
        f = EngineFixture.start(kind, dir, clock, tweak);
        return f;
    }

    private static MutableClock mutableNow() {
        return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void deliversASignedEventThatTheStandardWebhooksLibraryVerifies(StoreKind kind) throws Exception {
        start(kind, Clock.systemUTC());
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        var secret = f.store.endpoints().activeSecrets(endpoint.id(), f.clock.instant()).getFirst().secret();

        var receipt = f.publish("order.created");

        Await.until("the delivery", WAIT, () -> receiver.requests("/hook").size() == 1);
        var request = receiver.requests("/hook").getFirst();
        assertThat(request.bodyText()).isEqualTo(receipt.event().payload());
        assertThat(request.bodyText()).startsWith("{\"id\":\"" + receipt.event().id() + "\",\"type\":\"order.created\","
                + "\"timestamp\":\"").endsWith("\"data\":{\"order\":42}}");
        assertThat(request.header("webhook-id")).isEqualTo(receipt.event().id().value());
        new Webhook(secret.value()).verify(request.bodyText(), request.headers());
        assertTimestampedSignature(request, List.of(secret));
        Await.until("delivered state", WAIT, () -> f.reload(f.deliveryOf(receipt, endpoint)).state()
                == DeliveryState.DELIVERED);
        var stats = f.reload(endpoint).stats();
        assertThat(stats.successful()).isEqualTo(1);
        assertThat(stats.failed()).isZero();
    }

    @Test
    void signsWithBothSecretsDuringARotationAndEachVerifies() throws Exception {
        start(StoreKind.SQLITE, Clock.systemUTC());
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        var old = f.store.endpoints().activeSecrets(endpoint.id(), f.clock.instant()).getFirst().secret();
        var fresh = SigningSecret.generate();
        f.store.endpoints().rotateSecret(endpoint.id(), fresh, Duration.ofHours(24), f.clock.instant());
        f.engine.endpointChanged(endpoint.id());

        f.publish("order.created");

        Await.until("the delivery", WAIT, () -> receiver.requests("/hook").size() == 1);
        var request = receiver.requests("/hook").getFirst();
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        for (var secret : List.of(old, fresh)) {
            // Each secret verifies on its own: a receiver that knows only one of them keeps working.
            String onlyMine = onlySignatureOf(secret, request);
            var headers = new java.util.HashMap<>(request.headers());
            headers.put("webhook-signature", List.of(onlyMine));
            new Webhook(secret.value()).verify(request.bodyText(), headers);
        }
        assertTimestampedSignature(request, List.of(fresh, old));
    }

    private static String onlySignatureOf(SigningSecret secret, WebhookReceiver.Request request) throws Exception {
        var verifier = new Webhook(secret.value());
        for (String candidate : request.header("webhook-signature").split(" ")) {
            var headers = new java.util.HashMap<>(request.headers());
            headers.put("webhook-signature", List.of(candidate));
            try {
                verifier.verify(request.bodyText(), headers);
                return candidate;
            } catch (com.standardwebhooks.exceptions.WebhookVerificationException e) {
                // not this one
            }
        }
        throw new AssertionError("no signature verifies with the secret");
    }

    /** Checks {@code t=…,v1=…} with an HMAC computed here, independent of Herald's signer. */
    private static void assertTimestampedSignature(WebhookReceiver.Request request, List<SigningSecret> secrets)
            throws Exception {
        String header = request.header("X-Herald-Signature");
        assertThat(header).startsWith("t=" + request.header("webhook-timestamp") + ",");
        String t = header.substring(2, header.indexOf(','));
        var expected = new StringBuilder("t=").append(t);
        for (var secret : secrets) {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.value().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((t + "." + request.bodyText()).getBytes(StandardCharsets.UTF_8));
            expected.append(",v1=").append(HexFormat.of().formatHex(sig));
        }
        assertThat(header).isEqualTo(expected.toString());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void disablesEndpointAfterFifthFailedAttemptAndAnnouncesIt(StoreKind kind) {
        var clock = mutableNow();
        start(kind, clock);
        receiver.on("/failing", WebhookReceiver.status(500));
        var failing = f.endpoint(receiver.url("/failing"), "order.created");
        var ops = f.endpoint(receiver.url("/ops"), EventCatalog.ENDPOINT_DISABLED.name());
        Instant t0 = clock.instant();

        var receipt = f.publish("order.created");
        var delivery = f.deliveryOf(receipt, failing);
        // A second delivery scheduled far ahead: still pending when the endpoint is disabled.
        var later = dev.herald.store.testing.TestData.draft(dev.herald.store.testing.TestData.event(f.tenant,
                "order.paid", t0), List.of(failing), t0.plus(Duration.ofDays(1)));
        var laterDelivery = f.store.events().insert(List.of(later)).getFirst().deliveries().getFirst();

        List<Duration> offsets = List.of(Duration.ZERO, Duration.ofMinutes(1), Duration.ofMinutes(6),
                Duration.ofMinutes(36), Duration.ofMinutes(156));
        for (int n = 1; n <= 5; n++) {
            int expected = n;
            Await.until("attempt " + n, WAIT, () -> f.attempts(delivery).size() == expected);
            if (n < 5) {
                var next = f.reload(delivery).nextAttemptAt().orElseThrow();
                assertThat(next).isEqualTo(t0.plus(offsets.get(n)));
                clock.advance(Duration.between(clock.instant(), next));
            }
        }
        var attempts = f.attempts(delivery);
        for (int i = 0; i < 5; i++) {
            assertThat(attempts.get(i).attemptedAt()).isEqualTo(t0.plus(offsets.get(i)));
            assertThat(attempts.get(i).errorClass()).hasValue(ErrorClass.STATUS);
            assertThat(attempts.get(i).errorMessage()).hasValue("HTTP 500");
        }
        Await.until("endpoint disabled", WAIT, () -> f.reload(failing).status() == EndpointStatus.DISABLED);
        assertThat(f.reload(delivery).state()).isEqualTo(DeliveryState.FAILED);
        Await.until("pending cancelled", WAIT, () -> f.reload(laterDelivery).state() == DeliveryState.CANCELLED);
        var stats = f.reload(failing).stats();
        assertThat(stats.failed()).isEqualTo(5);
        assertThat(stats.successful()).isZero();
        assertThat(stats.consecutiveFailures()).isEqualTo(5);
        assertThat(stats.lastError()).hasValue("HTTP 500");

        Await.until("endpoint.disabled delivered", WAIT, () -> receiver.requests("/ops").size() == 1);
        String body = receiver.requests("/ops").getFirst().bodyText();
        assertThat(body).contains("\"type\":\"endpoint.disabled\"")
                .contains("\"endpoint_id\":\"" + failing.publicId() + "\"")
                .contains("\"url\":\"" + failing.url() + "\"")
                .contains("\"reason\":");
        assertThat(receiver.requests("/failing")).hasSize(5);
    }

    @Test
    void marksEndpointFailingAfterThreeFailuresAndActiveAgainOnSuccess() {
        var clock = mutableNow();
        start(StoreKind.SQLITE, clock);
        var calls = new AtomicInteger();
        receiver.on("/flaky", (exchange, closing) ->
                WebhookReceiver.status(calls.incrementAndGet() <= 3 ? 503 : 200).answer(exchange, closing));
        var endpoint = f.endpoint(receiver.url("/flaky"), "order.created");
        var delivery = f.deliveryOf(f.publish("order.created"), endpoint);

        for (int n = 1; n <= 3; n++) {
            int expected = n;
            Await.until("attempt " + n, WAIT, () -> f.attempts(delivery).size() == expected);
            if (n == 2) {
                assertThat(f.reload(endpoint).status()).isEqualTo(EndpointStatus.ACTIVE);
            }
            clock.advance(Duration.ofHours(3));
        }
        Await.until("failing", WAIT, () -> f.reload(endpoint).status() == EndpointStatus.FAILING);

        Await.until("attempt 4", WAIT, () -> f.attempts(delivery).size() == 4);
        Await.until("delivered", WAIT, () -> f.reload(delivery).state() == DeliveryState.DELIVERED);
        Await.until("active again", WAIT, () -> f.reload(endpoint).status() == EndpointStatus.ACTIVE);
        var stats = f.reload(endpoint).stats();
        assertThat(stats.failed()).isEqualTo(3);
        assertThat(stats.successful()).isEqualTo(1);
        assertThat(stats.consecutiveFailures()).isZero();
    }

    @Test
    void disablesEndpointAtOnceOnGone() {
        start(StoreKind.SQLITE, Clock.systemUTC());
        receiver.on("/gone", WebhookReceiver.status(410));
        var endpoint = f.endpoint(receiver.url("/gone"), "order.created");
        var delivery = f.deliveryOf(f.publish("order.created"), endpoint);

        Await.until("disabled", WAIT, () -> f.reload(endpoint).status() == EndpointStatus.DISABLED);
        assertThat(f.reload(delivery).state()).isEqualTo(DeliveryState.FAILED);
        assertThat(f.attempts(delivery)).hasSize(1);
    }

    @Test
    void honoursRetryAfterCappedAtTheLongestDelay() {
        var clock = mutableNow();
        start(StoreKind.SQLITE, clock);
        receiver.on("/busy", WebhookReceiver.status(429, Map.of("Retry-After", "90")));
        receiver.on("/very-busy", WebhookReceiver.status(503, Map.of("Retry-After", "999999")));
        var busy = f.endpoint(receiver.url("/busy"), "order.created");
        var veryBusy = f.endpoint(receiver.url("/very-busy"), "order.created");
        Instant t0 = clock.instant();
        var receipt = f.publish("order.created");

        Await.until("both attempted", WAIT, () -> f.attempts(f.deliveryOf(receipt, busy)).size() == 1
                && f.attempts(f.deliveryOf(receipt, veryBusy)).size() == 1);
        assertThat(f.deliveryOf(receipt, busy).nextAttemptAt()).hasValue(t0.plusSeconds(90));
        assertThat(f.deliveryOf(receipt, veryBusy).nextAttemptAt()).hasValue(t0.plus(Duration.ofHours(2)));
    }

    private record ErrorCase(String path, WebhookReceiver.Behaviour behaviour, ErrorClass errorClass) {
    }

    @Test
    void recordsTimeoutsRedirectsAndRefusedConnectionsAsFailedAttempts() throws Exception {
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withRequestTimeout(Duration.ofMillis(500)));
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var cases = List.of(
                new ErrorCase("/never", WebhookReceiver.never(), ErrorClass.TIMEOUT),
                new ErrorCase("/moved", WebhookReceiver.status(302, Map.of("Location", "https://example.com/")),
                        ErrorClass.REDIRECT));
        for (var c : cases) {
            receiver.on(c.path(), c.behaviour());
            var endpoint = f.endpoint(receiver.url(c.path()), "order.created");
            var delivery = f.deliveryOf(f.publish("order.created"), endpoint);
            Await.until(c.path(), WAIT, () -> f.attempts(delivery).size() == 1);
            assertThat(f.attempts(delivery).getFirst().errorClass()).hasValue(c.errorClass());
            assertThat(f.reload(delivery).state()).isEqualTo(DeliveryState.PENDING);
            Await.until("counted", WAIT, () -> f.reload(endpoint).stats().failed() == 1);
            f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.DISABLED, Instant.now());
            f.engine.endpointChanged(endpoint.id());
        }
        var refused = f.endpoint("http://127.0.0.1:" + closedPort + "/", "order.created");
        var delivery = f.deliveryOf(f.publish("order.created"), refused);
        Await.until("refused", WAIT, () -> f.attempts(delivery).size() == 1);
        assertThat(f.attempts(delivery).getFirst().errorClass()).hasValue(ErrorClass.CONNECT);
        assertThat(f.attempts(delivery).getFirst().errorMessage()).hasValue("connection refused");
    }

    @Test
    void aTenMegabyteAnswerDoesNotBreakTheWorker() {
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withRequestTimeout(Duration.ofSeconds(10)));
        receiver.on("/huge", WebhookReceiver.hugeBody(10 * 1024 * 1024));
        var huge = f.endpoint(receiver.url("/huge"), "order.created");
        var delivery = f.deliveryOf(f.publish("order.created"), huge);
        Await.until("huge answer recorded", WAIT, () -> f.reload(delivery).state() == DeliveryState.DELIVERED);
        assertThat(f.attempts(delivery).getFirst().responseBody()).hasSize(4096);

        var ok = f.endpoint(receiver.url("/ok"), "order.paid");
        var next = f.deliveryOf(f.publish("order.paid"), ok);
        Await.until("next delivery", WAIT, () -> f.reload(next).state() == DeliveryState.DELIVERED);
    }

    @Test
    void refusesInternalAddressesAtSendTimeWithoutTheAllowlist() {
        start(StoreKind.SQLITE, Clock.systemUTC(),
                s -> s.withAddressPolicy(dev.herald.core.outbound.AddressPolicy.create(List.of())));
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        var delivery = f.deliveryOf(f.publish("order.created"), endpoint);
        Await.until("attempt", WAIT, () -> f.attempts(delivery).size() == 1);
        assertThat(f.attempts(delivery).getFirst().errorClass()).hasValue(ErrorClass.BLOCKED);
        assertThat(f.attempts(delivery).getFirst().errorMessage())
                .hasValue("blocked: address 127.0.0.1 is in blocked range 127.0.0.0/8");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void aDeadEndpointDoesNotDelayTheOthers() throws Exception {
        // The dead endpoint holds its connections for 180 s; everything else must arrive long before.
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withRequestTimeout(Duration.ofSeconds(180))
                .withShutdownGrace(Duration.ofMillis(100)));
        receiver.on("/dead", WebhookReceiver.never());
        f.endpoint(receiver.url("/dead"), "order.created");
        f.endpoint(receiver.url("/live"), "order.created");
        int events = 1000;
        var publishers = java.util.concurrent.Executors.newFixedThreadPool(16);
        var count = new AtomicInteger();
        for (int i = 0; i < events; i++) {
            publishers.execute(() -> {
                f.publish("order.created");
                count.incrementAndGet();
            });
        }
        publishers.shutdown();
        assertThat(publishers.awaitTermination(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(count).hasValue(events);
        Await.until("all live deliveries", Duration.ofSeconds(90),
                () -> receiver.requests("/live").size() >= events);
        assertThat(receiver.requests("/dead").size()).isLessThanOrEqualTo(8);
    }

    @Test
    void anEndpointMovedOffADeadUrlIsNotHeldBackByWhatTheOldUrlTaught() throws Exception {
        // /dead takes the whole 3 s timeout: a full lane would give work back for 3 s × 17 rounds (51 s).
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withRequestTimeout(Duration.ofSeconds(3))
                .withShutdownGrace(Duration.ofMillis(100)));
        receiver.on("/dead", WebhookReceiver.never());
        var endpoint = f.endpoint(receiver.url("/dead"), "order.created");
        for (int i = 0; i < 200; i++) {
            f.publish("order.created");
        }
        // The lane learns how slow /dead is from its first round of attempts, which all time out: wait for them.
        int firstRound = f.settings.limits().maxConcurrencyPerEndpoint();
        Await.until("the first round of attempts at /dead timed out", Duration.ofSeconds(20),
                () -> f.reload(endpoint).stats().failed() >= firstRound);

        f.store.endpoints().update(endpoint.accountId(), endpoint.id(),
                dev.herald.store.EndpointChanges.NONE.withUrl(receiver.url("/live")), Instant.now());
        f.engine.endpointChanged(endpoint.id());
        var after = new java.util.ArrayList<String>();
        for (int i = 0; i < 300; i++) {
            after.add(f.publish("order.created").event().id().value());
        }

        Await.until("every event published after the move, at the new URL", Duration.ofSeconds(20),
                () -> receiver.requests("/live").stream().map(r -> r.header("webhook-id"))
                        .collect(java.util.stream.Collectors.toSet()).containsAll(after));
    }

    @Test
    void sendingWaitsWhileTheStoreFallsBehindWritingResults() throws Exception {
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withMaxInFlight(4).withBatchSize(2));
        f.engine.close();
        var gate = new java.util.concurrent.CountDownLatch(1);
        var store = f.store;
        var slowDeliveries = intercepting(dev.herald.store.Deliveries.class, store.deliveries(), "recordAttempts",
                () -> {
                    gate.await();
                    return null;
                });
        var slowStore = intercepting(dev.herald.store.Store.class, store, "deliveries", () -> slowDeliveries);
        f.engine = DeliveryEngine.create(slowStore, f.settings, EventCatalog.create(EngineFixture.CATALOG,
                store.eventTypes()), Clock.systemUTC(), f.meters);
        f.engine.start();
        f.endpoint(receiver.url("/hook"), "order.created");
        int events = 40;
        for (int i = 0; i < events; i++) {
            f.publish("order.created");
        }

        // One batch of 2 is being written (blocked), 4 results wait for the writer, 4 requests may be in flight.
        Await.until("the first requests", WAIT, () -> receiver.requests("/hook").size() >= 4);
        // A check that nothing more happens cannot be polled for: this window is the behaviour under test,
        // the time a sender that ignored the blocked writer would need to show it.
        Thread.sleep(500);
        assertThat(receiver.requests("/hook")).hasSizeLessThanOrEqualTo(2 + 4 + 4);

        gate.countDown();
        Await.until("every event once the store caught up", WAIT, () -> receiver.requests("/hook").size() >= events);
    }

    /**
     * {@code target} as {@code type}, except that calls of {@code method} run {@code instead} first: its result
     * answers the call, or when it is null the call goes on to {@code target}.
     */
    private static <T> T intercepting(Class<T> type, T target, String method,
                                      java.util.concurrent.Callable<Object> instead) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (proxy, called, args) -> {
                    if (called.getName().equals(method)) {
                        Object answer = instead.call();
                        if (answer != null) {
                            return answer;
                        }
                    }
                    try {
                        return called.invoke(target, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    @Test
    void aBacklogLargerThanTheBufferDrainsWithoutWaitingForPolls() {
        // The node buffers 2 × 8 claimed deliveries; the next poll would come only after 60 s.
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withMaxInFlight(8).withPollInterval(Duration.ofSeconds(60)));
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, Instant.now());
        f.engine.endpointChanged(endpoint.id());
        int events = 400;
        for (int i = 0; i < events; i++) {
            f.publish("order.created");
        }

        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.ACTIVE, Instant.now());
        f.engine.endpointChanged(endpoint.id());

        Await.until("the whole backlog delivered", Duration.ofSeconds(20), () -> receiver.requests("/hook").size() >= events);
    }

    @Test
    void deliversEveryAcceptedEventAfterTheEngineDies() {
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withLeaseDuration(Duration.ofSeconds(1)));
        var stall = new java.util.concurrent.CountDownLatch(1);
        receiver.on("/hook", (exchange, closing) -> {
            stall.await();
            WebhookReceiver.status(200).answer(exchange, closing);
        });
        f.endpoint(receiver.url("/hook"), "order.created");
        var ids = new java.util.HashSet<String>();
        for (int i = 0; i < 30; i++) {
            ids.add(f.publish("order.created").event().id().value());
        }
        f.engine.abandon();
        f.store.close();
        stall.countDown();

        var store = StoreKind.SQLITE.open(dir);
        var settings = EngineFixture.localSettings().withLeaseDuration(Duration.ofSeconds(1));
        var engine = DeliveryEngine.create(store, settings, EventCatalog.create(EngineFixture.CATALOG,
                store.eventTypes()), Clock.systemUTC(), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        f.engine = null;
        try {
            engine.start();
            Await.until("every event delivered", WAIT, () -> receiver.requests("/hook").stream()
                    .map(r -> r.header("webhook-id")).collect(java.util.stream.Collectors.toSet()).containsAll(ids));
        } finally {
            engine.close();
            store.close();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void repeatsWithTheSameIdempotencyKeyOrIdFanOutOnce(StoreKind kind) {
        start(kind, Clock.systemUTC());
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        var byKey = new PublishRequest(f.tenant.accountId(), Optional.of(f.tenant.keyId()), "order.created",
                JsonNodeFactory.instance.objectNode(), Optional.empty(), Optional.of("key-1"));
        var first = f.engine.publisher().publish(byKey);
        var second = f.engine.publisher().publish(byKey);
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.event().id()).isEqualTo(first.event().id());
        assertThat(second.deliveries()).isEqualTo(1);

        var id = EventId.generate();
        var byId = new PublishRequest(f.tenant.accountId(), Optional.of(f.tenant.keyId()), "order.created",
                JsonNodeFactory.instance.objectNode(), Optional.of(id), Optional.empty());
        assertThat(f.engine.publisher().publish(byId).created()).isTrue();
        assertThat(f.engine.publisher().publish(byId).created()).isFalse();

        assertThat(f.deliveriesOf(endpoint)).hasSize(2);
        Await.until("two deliveries", WAIT, () -> receiver.requests("/hook").size() == 2);
    }

    @Test
    void refusesAnUnknownEventType() {
        start(StoreKind.SQLITE, Clock.systemUTC());
        assertThatThrownBy(() -> f.publish("order.shipped"))
                .isInstanceOfSatisfying(HeraldException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_EVENTS));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void holdsDeliveriesOfAPausedEndpointUntilItIsResumed(StoreKind kind) throws Exception {
        start(kind, Clock.systemUTC());
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, Instant.now());
        f.engine.endpointChanged(endpoint.id());
        var delivery = f.deliveryOf(f.publish("order.created"), endpoint);
        assertThat(delivery.nextAttemptAt()).isEmpty();
        assertThat(delivery.state()).isEqualTo(DeliveryState.PENDING);

        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.ACTIVE, Instant.now());
        f.engine.endpointChanged(endpoint.id());
        Await.until("delivered after resume", WAIT, () -> f.reload(delivery).state() == DeliveryState.DELIVERED);
        assertThat(receiver.requests("/hook")).hasSize(1);
    }

    @Test
    void aDeliveryClaimedWhileThisNodeStillThinksItsEndpointPausedIsSentAtOnce() {
        // Another node resumes the endpoint: this one learns of it only when its cached copy expires (60 s here),
        // and the released delivery must not wait for its five-minute lease to run out.
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withEndpointCacheTtl(Duration.ofSeconds(60)));
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, Instant.now());
        f.engine.endpointChanged(endpoint.id());
        var delivery = f.deliveryOf(f.publish("order.created"), endpoint);

        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.ACTIVE, Instant.now());

        Await.until("delivered after the resume", WAIT, () -> f.reload(delivery).state() == DeliveryState.DELIVERED);
        assertThat(receiver.requests("/hook")).hasSize(1);
    }

    @Test
    void sendsATestEventToOneEndpointAndReturnsTheAttempt() {
        start(StoreKind.SQLITE, Clock.systemUTC());
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        f.endpoint(receiver.url("/other"));
        var attempt = f.engine.sendTest(endpoint);
        assertThat(attempt.succeeded()).isTrue();
        assertThat(attempt.responseStatus()).hasValue(200);
        assertThat(receiver.requests("/hook")).hasSize(1);
        assertThat(receiver.requests("/hook").getFirst().bodyText()).contains("\"type\":\"webhook.test\"");
        assertThat(receiver.requests("/other")).isEmpty();
    }

    @Test
    void retriesAFailedDeliveryOnRequest() {
        start(StoreKind.SQLITE, Clock.systemUTC(), s -> s.withRetrySchedule(
                new dev.herald.core.delivery.RetrySchedule(List.of(Duration.ZERO), 0)));
        var calls = new AtomicInteger();
        receiver.on("/hook", (exchange, closing) ->
                WebhookReceiver.status(calls.incrementAndGet() == 1 ? 500 : 200).answer(exchange, closing));
        var endpoint = f.endpoint(receiver.url("/hook"), "order.created");
        var delivery = f.deliveryOf(f.publish("order.created"), endpoint);
        Await.until("failed", WAIT, () -> f.reload(delivery).state() == DeliveryState.FAILED);
        // Exhausting the one-attempt schedule disabled the endpoint; the user enables it and retries.
        Await.until("disabled", WAIT, () -> f.reload(endpoint).status() == EndpointStatus.DISABLED);
        f.store.endpoints().setStatus(endpoint.id(), EndpointStatus.ACTIVE, Instant.now());
        f.engine.endpointChanged(endpoint.id());
        f.engine.retryNow(f.reload(delivery));
        Await.until("delivered", WAIT, () -> f.reload(delivery).state() == DeliveryState.DELIVERED);
    }

    @Test
    void countsPublishedEventsAndAttemptsInTheRegistry() {
        start(StoreKind.SQLITE, Clock.systemUTC());
        f.endpoint(receiver.url("/hook"), "order.created");
        f.publish("order.created");
        f.publish("order.created");
        Await.until("attempts counted", WAIT, () -> f.meters.find("herald.attempts").tag("class", "success")
                .counter() != null && f.meters.find("herald.attempts").tag("class", "success").counter().count() == 2);
        assertThat(f.meters.get("herald.events.published").counter().count()).isEqualTo(2);
        assertThat(f.meters.get("herald.attempt.latency").timer().count()).isEqualTo(2);
    }
}

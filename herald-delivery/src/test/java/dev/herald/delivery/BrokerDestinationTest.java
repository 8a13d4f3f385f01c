package dev.herald.delivery;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.ConnectionFactory;
import com.standardwebhooks.Webhook;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.destination.BrokerCredentials;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.signing.SigningSecret;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.store.testing.StoreKind;
import dev.herald.testing.Await;
import dev.herald.testing.Brokers;
import dev.herald.testing.TcpProxy;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broker destinations end to end against the machine's RabbitMQ, NATS JetStream and Redis: Herald publishes,
 * the broker's own client consumes, and the Standard Webhooks library verifies what arrived.
 */
class BrokerDestinationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Retries every 150 ms, 100 times: more than the outages below last, even on a loaded machine. */
    private static final RetrySchedule QUICK = new RetrySchedule(IntStream.range(0, 101)
            .mapToObj(i -> i == 0 ? Duration.ZERO : Duration.ofMillis(150)).toList(), 0);

    @TempDir
    Path dir;
    private EngineFixture f;
    private BrokerSide side;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
        Collections.reverse(resources);
        for (var r : resources) {
            r.close();
        }
        if (side != null) {
            side.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Brokers.class)
    void deliversASignedMessageThatTheBrokersOwnClientReceivesAndTheStandardWebhooksLibraryVerifies(Brokers broker)
            throws Exception {
        start(broker);
        var secret = SigningSecret.generate();
        Endpoint endpoint = endpoint(side.destination(broker.port(), side.goodCredentials()), secret);

        PublishReceipt created = f.publish("order.created");
        PublishReceipt paid = f.publish("order.paid");

        Await.until("both delivered", WAIT, () -> delivered(created, endpoint) && delivered(paid, endpoint));
        List<Received> received = awaitReceived(2);
        assertThat(received).extracting(r -> r.header("webhook-id"))
                .containsExactlyInAnyOrder(created.event().id().value(), paid.event().id().value());
        for (Received message : received) {
            new Webhook(secret.value()).verify(message.body(), message.headers());
            String expectedBody = message.header("webhook-id").equals(created.event().id().value())
                    ? created.event().payload() : paid.event().payload();
            assertThat(message.body()).isEqualTo(expectedBody);
        }
        Attempt attempt = f.attempts(f.deliveryOf(created, endpoint)).getFirst();
        assertThat(attempt.errorClass()).isEmpty();
        assertThat(attempt.responseBody()).isNotBlank();
        assertThat(f.meters.find("herald.destination.attempts").tag("destination", endpoint.type().wireName())
                .tag("class", "success").counter().count()).isEqualTo(2.0);
    }

    @ParameterizedTest
    @EnumSource(Brokers.class)
    void deliversEverythingOnceTheBrokerThatWentAwayComesBack(Brokers broker) throws Exception {
        start(broker);
        var proxy = TcpProxy.to(broker.port());
        resources.add(proxy);
        var secret = SigningSecret.generate();
        Endpoint endpoint = endpoint(side.destination(proxy.port(), side.goodCredentials()), secret);
        var before = List.of(f.publish("order.created"), f.publish("order.paid"));
        Await.until("delivered before the outage", WAIT, () -> before.stream().allMatch(r -> delivered(r, endpoint)));

        proxy.cut();
        var during = List.of(f.publish("order.created"), f.publish("order.paid"), f.publish("order.created"));
        Await.until("failed attempts while the broker is away", WAIT, () -> during.stream()
                .allMatch(r -> !f.attempts(f.deliveryOf(r, endpoint)).isEmpty()));
        assertThat(during.stream().flatMap(r -> f.attempts(f.deliveryOf(r, endpoint)).stream()))
                .allSatisfy(a -> assertThat(a.errorClass()).hasValueSatisfying(c ->
                        assertThat(c).isIn(ErrorClass.CONNECT, ErrorClass.TIMEOUT)));
        proxy.restore();

        Await.until("delivered after the outage", WAIT, () -> during.stream().allMatch(r -> delivered(r, endpoint)));
        Set<String> published = new HashSet<>();
        before.forEach(r -> published.add(r.event().id().value()));
        during.forEach(r -> published.add(r.event().id().value()));
        Await.until("every event at the consumer", WAIT, () -> receivedIds().containsAll(published));
        for (Received message : side.received()) {
            new Webhook(secret.value()).verify(message.body(), message.headers());
        }
    }

    @ParameterizedTest
    @EnumSource(Brokers.class)
    void badCredentialsAreClassifiedAuthAndTurnTheEndpointFailingWithoutEverBeingLogged(Brokers broker)
            throws Exception {
        start(broker);
        String password = "wrong-" + UUID.randomUUID();
        var logs = new ListAppender<ILoggingEvent>();
        logs.start();
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        resources.add(() -> root.detachAppender(logs));
        int port = broker == Brokers.NATS ? startNatsWithAuth(password + "-right") : broker.port();
        var credentials = new BrokerCredentials((broker == Brokers.REDIS ? "herald-nobody" : "herald") + ":" + password);
        Endpoint endpoint = endpoint(side.destination(port, Optional.of(credentials)), SigningSecret.generate());

        PublishReceipt receipt = f.publish("order.created");

        Await.until("endpoint failing", WAIT, () -> f.reload(endpoint).status() == EndpointStatus.FAILING);
        List<Attempt> attempts = f.attempts(f.deliveryOf(receipt, endpoint));
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(a -> assertThat(a.errorClass()).contains(ErrorClass.AUTH));
        assertThat(attempts).allSatisfy(a -> assertThat(a.errorMessage().orElse("")).doesNotContain(password));
        // the engine goes on logging meanwhile: a copy taken under the appender's lock (its append holds it)
        List<ILoggingEvent> logged;
        synchronized (logs) {
            logged = List.copyOf(logs.list);
        }
        assertThat(logged).isNotEmpty().allSatisfy(event -> {
            assertThat(event.getFormattedMessage()).doesNotContain(password);
            if (event.getThrowableProxy() != null) {
                assertThat(event.getThrowableProxy().getMessage()).doesNotContain(password);
            }
        });
        assertThat(f.reload(endpoint).toString()).doesNotContain(password);
    }

    @org.junit.jupiter.api.Test
    void jetStreamDropsARedeliveryOfTheSameEventByItsMessageId() throws Exception {
        start(Brokers.NATS);
        Endpoint endpoint = endpoint(side.destination(Brokers.NATS.port(), Optional.empty()), SigningSecret.generate());
        PublishReceipt receipt = f.publish("order.created");
        Await.until("delivered", WAIT, () -> delivered(receipt, endpoint));
        var delivery = f.deliveryOf(receipt, endpoint);

        f.engine.retryNow(delivery);

        Await.until("the manual retry's attempt", WAIT, () -> f.attempts(delivery).size() == 2
                && delivered(receipt, endpoint));
        assertThat(f.attempts(delivery).getLast().responseBody()).contains("duplicate");
        assertThat(side.received()).singleElement().satisfies(message -> assertThat(message.header("Nats-Msg-Id"))
                .isEqualTo(receipt.event().id().value()));
    }

    @ParameterizedTest
    @EnumSource(Brokers.class)
    void aMessageTheBrokerRefusesIsRecordedAsANack(Brokers broker) throws Exception {
        start(broker);
        // RabbitMQ: no queue is bound to the routing key (a mandatory message comes back); NATS: no stream takes
        // the subject; Redis: the key holds a string, not a stream.
        Destination refused = switch (broker) {
            case RABBITMQ -> new Destination.RabbitMq(URI.create("amqp://127.0.0.1:" + broker.port() + "/"),
                    side.goodCredentials(), "amq.topic", "herald.nobody." + UUID.randomUUID() + ".{type}");
            case NATS -> new Destination.Nats(URI.create("nats://127.0.0.1:" + broker.port()), Optional.empty(),
                    "herald.nostream." + UUID.randomUUID().toString().replace("-", ""));
            case REDIS -> {
                String key = "herald:test:string:" + UUID.randomUUID();
                try (var jedis = new Jedis("127.0.0.1", broker.port())) {
                    jedis.set(key, "not a stream");
                }
                resources.add(() -> {
                    try (var jedis = new Jedis("127.0.0.1", broker.port())) {
                        jedis.del(key);
                    }
                });
                yield new Destination.RedisStream(URI.create("redis://127.0.0.1:" + broker.port()),
                        Optional.empty(), key, java.util.OptionalLong.empty());
            }
        };
        Endpoint endpoint = endpoint(refused, SigningSecret.generate());

        PublishReceipt receipt = f.publish("order.created");

        Await.until("a recorded attempt", WAIT, () -> !f.attempts(f.deliveryOf(receipt, endpoint)).isEmpty());
        Attempt attempt = f.attempts(f.deliveryOf(receipt, endpoint)).getFirst();
        assertThat(attempt.errorClass()).as(attempt.errorMessage().orElse("")).contains(ErrorClass.NACK);
    }

    @org.junit.jupiter.api.Test
    void aBrokerThatNeverAnswersHoldsUpNoOtherEndpoint() throws Exception {
        // No broker needed: the stuck one is a socket that accepts and never speaks, the healthy one a webhook.
        var blackHole = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        var held = Collections.synchronizedList(new ArrayList<Socket>());
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    held.add(blackHole.accept());
                }
            } catch (IOException e) {
                // Closed at the end of the test.
            }
        });
        resources.add(blackHole);
        resources.add(() -> held.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing is all that is left to do.
            }
        }));
        var receiver = dev.herald.testing.WebhookReceiver.start();
        resources.add(receiver);
        // A timeout far beyond how long the healthy deliveries take, so the stuck attempts are still running.
        f = EngineFixture.start(StoreKind.SQLITE, dir, Clock.systemUTC(),
                s -> s.withRetrySchedule(QUICK).withRequestTimeout(Duration.ofSeconds(30)));
        Endpoint stuck = endpoint(new Destination.RabbitMq(URI.create("amqp://127.0.0.1:" + blackHole.getLocalPort()),
                Optional.empty(), "amq.topic", "k"), SigningSecret.generate());
        Endpoint healthy = f.endpoint(receiver.url("/hook"));

        var receipts = IntStream.range(0, 20).mapToObj(i -> f.publish("order.created")).toList();

        Await.until("the webhook endpoint's deliveries", WAIT, () -> receipts.stream()
                .allMatch(r -> delivered(r, healthy)));
        assertThat(held).isNotEmpty();
        assertThat(receipts.stream().map(r -> f.reload(f.deliveryOf(r, stuck)).state()))
                .doesNotContain(DeliveryState.DELIVERED);
        assertThat(receipts.stream().mapToInt(r -> f.attempts(f.deliveryOf(r, stuck)).size()).sum()).isZero();
    }

    private void start(Brokers broker) {
        broker.require();
        side = switch (broker) {
            case RABBITMQ -> new RabbitSide();
            case NATS -> new NatsSide();
            case REDIS -> new RedisSide();
        };
        f = EngineFixture.start(StoreKind.SQLITE, dir, Clock.systemUTC(), s -> s.withRetrySchedule(QUICK));
    }

    private Endpoint endpoint(Destination destination, SigningSecret secret) {
        var draft = new NewEndpoint(f.tenant.accountId(), destination.address().orElseThrow().toString(),
                List.of("*"), Optional.empty(), f.tenant.keyId(), Optional.empty(), java.util.OptionalInt.empty(),
                Map.of(), secret, destination);
        Endpoint created = f.store.endpoints().create(draft, f.clock.instant());
        f.engine.endpointChanged(created.id());
        return created;
    }

    private boolean delivered(PublishReceipt receipt, Endpoint endpoint) {
        return f.reload(f.deliveryOf(receipt, endpoint)).state() == DeliveryState.DELIVERED;
    }

    private List<Received> awaitReceived(int count) throws Exception {
        Await.until(count + " messages at the consumer", WAIT, () -> side.received().size() >= count);
        return side.received();
    }

    private Set<String> receivedIds() {
        return side.received().stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
    }

    /** A NATS server of the test's own on a free port that wants user {@code herald} with {@code password}. */
    private int startNatsWithAuth(String password) throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path logFile = Files.createTempFile(dir, "nats", ".log");
        Path binary = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "nats-server")).filter(Files::isExecutable).findFirst()
                .orElse(Path.of("/usr/sbin/nats-server"));
        if (!Files.isExecutable(binary)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("nats-server is required under CI=true but is not installed");
            }
            org.junit.jupiter.api.Assumptions.abort("nats-server is not installed; skipped");
        }
        Process process = new ProcessBuilder(binary.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port),
                "--user", "herald", "--pass", password).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .start();
        resources.add(() -> {
            process.destroy();
            process.waitFor();
        });
        Await.until("the NATS server with auth", WAIT, () -> {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return port;
    }

    /** One message as the consumer saw it: the body and every header, property or field beside it. */
    record Received(String body, Map<String, List<String>> headers) {
        String header(String name) {
            return headers.getOrDefault(name, List.of()).stream().findFirst().orElse("");
        }
    }

    /** The broker end of a test: where Herald publishes, and what the broker's own client consumed there. */
    interface BrokerSide extends AutoCloseable {
        Destination destination(int port, Optional<BrokerCredentials> credentials);

        Optional<BrokerCredentials> goodCredentials();

        List<Received> received();
    }

    /** A queue of its own bound to {@code amq.topic} for this test's routing keys. */
    private static final class RabbitSide implements BrokerSide {
        private final String tag = "t" + UUID.randomUUID().toString().replace("-", "");
        private final com.rabbitmq.client.Connection connection;
        private final com.rabbitmq.client.Channel channel;
        private final String queue;
        private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

        RabbitSide() {
            try {
                var factory = new ConnectionFactory();
                factory.setHost("127.0.0.1");
                factory.setPort(Brokers.RABBITMQ.port());
                connection = factory.newConnection("herald-test");
                channel = connection.createChannel();
                queue = channel.queueDeclare("", false, true, true, null).getQueue();
                channel.queueBind(queue, "amq.topic", "herald." + tag + ".#");
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the RabbitMQ consumer", e);
            }
        }

        @Override
        public Destination destination(int port, Optional<BrokerCredentials> credentials) {
            return new Destination.RabbitMq(URI.create("amqp://127.0.0.1:" + port + "/"), credentials, "amq.topic",
                    "herald." + tag + ".{type}");
        }

        @Override
        public Optional<BrokerCredentials> goodCredentials() {
            return Optional.of(new BrokerCredentials("guest:guest"));
        }

        @Override
        public List<Received> received() {
            try {
                com.rabbitmq.client.GetResponse response;
                while ((response = channel.basicGet(queue, true)) != null) {
                    var headers = new LinkedHashMap<String, List<String>>();
                    response.getProps().getHeaders().forEach((k, v) -> headers.put(k, List.of(String.valueOf(v))));
                    assertThat(response.getProps().getDeliveryMode()).isEqualTo(2);
                    received.add(new Received(new String(response.getBody(), StandardCharsets.UTF_8), headers));
                }
                return List.copyOf(received);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    /** A JetStream stream of its own over this test's subjects, read back message by message. */
    private static final class NatsSide implements BrokerSide {
        private final String tag = "t" + UUID.randomUUID().toString().replace("-", "");
        private final io.nats.client.Connection connection;
        private final JetStreamManagement streams;

        NatsSide() {
            try {
                connection = Nats.connect("nats://127.0.0.1:" + Brokers.NATS.port());
                streams = connection.jetStreamManagement();
                streams.addStream(StreamConfiguration.builder().name(tag).subjects("herald." + tag + ".>")
                        .storageType(StorageType.Memory).duplicateWindow(Duration.ofMinutes(2)).build());
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the JetStream stream", e);
            }
        }

        @Override
        public Destination destination(int port, Optional<BrokerCredentials> credentials) {
            return new Destination.Nats(URI.create("nats://127.0.0.1:" + port), credentials,
                    "herald." + tag + ".{type}");
        }

        @Override
        public Optional<BrokerCredentials> goodCredentials() {
            return Optional.empty();
        }

        @Override
        public List<Received> received() {
            try {
                long last = streams.getStreamInfo(tag).getStreamState().getLastSequence();
                var received = new ArrayList<Received>();
                for (long seq = 1; seq <= last; seq++) {
                    var message = streams.getMessage(tag, seq);
                    var headers = new LinkedHashMap<String, List<String>>();
                    message.getHeaders().keySet().forEach(k -> headers.put(k, message.getHeaders().get(k)));
                    received.add(new Received(new String(message.getData(), StandardCharsets.UTF_8), headers));
                }
                return received;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            streams.deleteStream(tag);
            connection.close();
        }
    }

    /** A stream key of its own, read back with XRANGE. */
    private static final class RedisSide implements BrokerSide {
        private final String stream = "herald:test:" + UUID.randomUUID();
        private final Jedis jedis = new Jedis("127.0.0.1", Brokers.REDIS.port());

        @Override
        public Destination destination(int port, Optional<BrokerCredentials> credentials) {
            return new Destination.RedisStream(URI.create("redis://127.0.0.1:" + port + "/0"), credentials, stream,
                    java.util.OptionalLong.of(1000));
        }

        @Override
        public Optional<BrokerCredentials> goodCredentials() {
            return Optional.empty();
        }

        @Override
        public List<Received> received() {
            var received = new ArrayList<Received>();
            for (StreamEntry entry : jedis.xrange(stream, (StreamEntryID) null, (StreamEntryID) null)) {
                var headers = new LinkedHashMap<String, List<String>>();
                entry.getFields().forEach((k, v) -> {
                    if (!k.equals("body")) {
                        headers.put(k, List.of(v));
                    }
                });
                received.add(new Received(entry.getFields().get("body"), headers));
            }
            return received;
        }

        @Override
        public void close() {
            jedis.del(stream);
            jedis.close();
        }
    }
}

package dev.herald.bench.ceiling;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ConnectionFactory;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The broker ceilings: the broker's own client publishing the same body with the same headers and the same
 * confirmation as Herald (RabbitMQ: persistent, mandatory, a confirm awaited per message; NATS: a JetStream publish
 * awaiting its ack, with a message id; Redis: an XADD with approximate trimming), {@link #IN_FLIGHT} publishes in
 * flight, as many as the bench publishes to Herald at once. RabbitMQ publishers each have a channel of their own on
 * one connection, NATS publishers share one connection, Redis publishers take turns on one connection: the same
 * sharing as Herald's one connection per broker address.
 */
public final class BrokerCeiling {
    /** Publishes in flight: the bench's publish concurrency towards Herald. */
    public static final int IN_FLIGHT = 64;

    private BrokerCeiling() {
    }

    /** Where a ceiling run and Herald's run both publish. */
    public record Target(String type, String address, String name, String routingKey) {
    }

    /** One publish of message number {@code n}; throws when the broker did not confirm it. */
    @FunctionalInterface
    private interface Publisher {
        void publish(long n) throws Exception;
    }

    /** The run's one connection to the broker, handing out publishers that share it as Herald's attempts do. */
    private interface Connection extends AutoCloseable {
        Publisher publisher() throws Exception;
    }

    /** Publishes {@code messages} with {@link #IN_FLIGHT} publishers; messages per second. */
    public static double measure(Target target, byte[] body, Map<String, String> headers, int messages)
            throws Exception {
        try (Connection connection = connect(target, body, headers)) {
            var publishers = new ArrayList<Publisher>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                publishers.add(connection.publisher());
            }
            var next = new AtomicLong();
            long started = System.nanoTime();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                var running = new ArrayList<Future<Void>>();
                for (Publisher p : publishers) {
                    Callable<Void> work = () -> {
                        for (long n = next.getAndIncrement(); n < messages; n = next.getAndIncrement()) {
                            p.publish(n);
                        }
                        return null;
                    };
                    running.add(threads.submit(work));
                }
                for (var r : running) {
                    r.get();
                }
            }
            return messages / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static Connection connect(Target target, byte[] body, Map<String, String> headers) throws Exception {
        return switch (target.type()) {
            case "rabbitmq" -> rabbit(target, body, headers);
            case "nats" -> nats(target, body, headers);
            case "redis_stream" -> redis(target, body, headers);
            default -> throw new IllegalArgumentException("unknown destination type " + target.type());
        };
    }

    private static Connection rabbit(Target target, byte[] body, Map<String, String> headers) throws Exception {
        var factory = new ConnectionFactory();
        factory.setUri(target.address());
        factory.setUsername("guest");
        factory.setPassword("guest");
        var connection = factory.newConnection("herald-bench-ceiling");
        return new Connection() {
            @Override
            public Publisher publisher() throws Exception {
                var channel = connection.createChannel();
                channel.confirmSelect();
                var properties = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                        .headers(new LinkedHashMap<>(headers)).appId("herald");
                return n -> {
                    channel.basicPublish(target.name(), target.routingKey(), true,
                            properties.messageId("evt_ceiling_" + n).timestamp(new Date()).build(), body);
                    channel.waitForConfirmsOrDie(5_000);
                };
            }

            @Override
            public void close() throws Exception {
                connection.close();
            }
        };
    }

    private static Connection nats(Target target, byte[] body, Map<String, String> headers) throws Exception {
        var connection = Nats.connect(target.address());
        JetStream jetStream = connection.jetStream();
        String run = UUID.randomUUID().toString();
        return new Connection() {
            @Override
            public Publisher publisher() {
                return n -> {
                    var h = new Headers();
                    headers.forEach(h::put);
                    jetStream.publish(NatsMessage.builder().subject(target.routingKey()).headers(h).data(body)
                            .build(), PublishOptions.builder().messageId(run + n).build());
                };
            }

            @Override
            public void close() throws Exception {
                connection.close();
            }
        };
    }

    private static Connection redis(Target target, byte[] body, Map<String, String> headers) {
        var jedis = new Jedis(java.net.URI.create(target.address()));
        var turn = new ReentrantLock();
        var fields = new LinkedHashMap<String, String>();
        fields.put("body", new String(body, StandardCharsets.UTF_8));
        fields.putAll(headers);
        return new Connection() {
            @Override
            public Publisher publisher() {
                return n -> {
                    turn.lock();
                    try {
                        jedis.xadd(target.name(), XAddParams.xAddParams().maxLen(100_000).approximateTrimming(),
                                fields);
                    } finally {
                        turn.unlock();
                    }
                };
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    private static Map<String, Integer> ports() {
        var ports = new LinkedHashMap<String, Integer>();
        ports.put("rabbitmq", 5672);
        ports.put("nats", 4222);
        ports.put("redis_stream", 6379);
        return java.util.Collections.unmodifiableMap(ports);
    }

    /** Headers shaped like Herald's (names and value lengths), so both publish the same bytes. */
    public static Map<String, String> heraldLikeHeaders() {
        return Map.of("webhook-id", "evt_" + "0".repeat(26), "webhook-timestamp", "1700000000",
                "webhook-signature", "v1," + "A".repeat(44),
                "X-Herald-Signature", "t=1700000000,v1=" + "0".repeat(64));
    }

    /** The destination types, each with its broker's port on 127.0.0.1. */
    public static final Map<String, Integer> PORTS = ports();

    /**
     * A run's broker resources, made for it and removed by {@code cleanup}: where the ceiling publishes, and the
     * config Herald's endpoint gets for the same place.
     */
    public record Prepared(Target target, Map<String, Object> config, AutoCloseable cleanup) {
    }

    /** Declares a queue, a JetStream stream or a stream key of this run's own for {@code type}. */
    public static Prepared prepare(String type) throws Exception {
        String tag = "b" + UUID.randomUUID().toString().replace("-", "");
        String prefix = "herald.bench." + tag + ".";
        return switch (type) {
            case "rabbitmq" -> {
                var factory = new ConnectionFactory();
                factory.setUri("amqp://guest:guest@127.0.0.1:5672");
                var connection = factory.newConnection("herald-bench-setup");
                var channel = connection.createChannel();
                channel.queueDeclare(tag, true, false, false, null);
                channel.queueBind(tag, "amq.topic", prefix + "#");
                yield new Prepared(new Target(type, "amqp://127.0.0.1:5672", "amq.topic", prefix + "bench.dest"),
                        Map.of("uri", "amqp://guest:guest@127.0.0.1:5672", "exchange", "amq.topic",
                                "routing_key", prefix + "{type}"), () -> {
                    channel.queueDelete(tag);
                    connection.close();
                });
            }
            case "nats" -> {
                var connection = Nats.connect("nats://127.0.0.1:4222");
                var streams = connection.jetStreamManagement();
                streams.addStream(io.nats.client.api.StreamConfiguration.builder().name(tag).subjects(prefix + ">")
                        .build());
                yield new Prepared(new Target(type, "nats://127.0.0.1:4222", tag, prefix + "bench.dest"),
                        Map.of("url", "nats://127.0.0.1:4222", "subject", prefix + "{type}"), () -> {
                    streams.deleteStream(tag);
                    connection.close();
                });
            }
            case "redis_stream" -> {
                String key = "herald:bench:" + tag;
                yield new Prepared(new Target(type, "redis://127.0.0.1:6379", key, ""),
                        Map.of("url", "redis://127.0.0.1:6379", "stream", key, "maxlen", 100_000), () -> {
                    try (var jedis = new Jedis(java.net.URI.create("redis://127.0.0.1:6379"))) {
                        jedis.del(key);
                    }
                });
            }
            default -> throw new IllegalArgumentException("unknown destination type " + type);
        };
    }
}

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

import java.util.ArrayList;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker ceilings: the broker's own client publishing the same body with the same headers and the same
 * confirmation as Herald (RabbitMQ: persistent, mandatory, a confirm awaited per message; NATS: a JetStream publish
 * awaiting its ack, with a message id; Redis: an XADD with approximate trimming), with as many publishes in flight
 * as Herald allows one endpoint. Each publisher runs on a connection of its own.
 */
public final class BrokerCeiling {
    /** Herald's default per-endpoint concurrency: what one endpoint's deliveries get at most in flight. */
    public static final int IN_FLIGHT = 8;

    private BrokerCeiling() {
    }

    /** Where a ceiling run and Herald's run both publish. */
    public record Target(String type, String address, String name, String routingKey) {
    }

    /** One publish of message number {@code n}; throws when the broker did not confirm it. */
    @FunctionalInterface
    private interface Publisher extends AutoCloseable {
        void publish(long n) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Publishes {@code messages} with {@link #IN_FLIGHT} publishers; messages per second. */
    public static double measure(Target target, byte[] body, Map<String, String> headers, int messages)
            throws Exception {
        var publishers = new ArrayList<Publisher>();
        try {
            for (int i = 0; i < IN_FLIGHT; i++) {
                publishers.add(publisher(target, body, headers));
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
        } finally {
            for (Publisher p : publishers) {
                p.close();
            }
        }
    }

    private static Publisher publisher(Target target, byte[] body, Map<String, String> headers) throws Exception {
        return switch (target.type()) {
            case "rabbitmq" -> rabbit(target, body, headers);
            case "nats" -> nats(target, body, headers);
            case "redis_stream" -> redis(target, body, headers);
            default -> throw new IllegalArgumentException("unknown destination type " + target.type());
        };
    }

    private static Publisher rabbit(Target target, byte[] body, Map<String, String> headers) throws Exception {
        var factory = new ConnectionFactory();
        factory.setUri(target.address());
        factory.setUsername("guest");
        factory.setPassword("guest");
        var connection = factory.newConnection("herald-bench-ceiling");
        var channel = connection.createChannel();
        channel.confirmSelect();
        var properties = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                .headers(new java.util.LinkedHashMap<>(headers)).timestamp(new Date()).appId("herald");
        return new Publisher() {
            @Override
            public void publish(long n) throws Exception {
                channel.basicPublish(target.name(), target.routingKey(), true,
                        properties.messageId("evt_ceiling_" + n).build(), body);
                channel.waitForConfirmsOrDie(5_000);
            }

            @Override
            public void close() throws Exception {
                connection.close();
            }
        };
    }

    private static Publisher nats(Target target, byte[] body, Map<String, String> headers) throws Exception {
        var connection = Nats.connect(target.address());
        JetStream jetStream = connection.jetStream();
        String run = UUID.randomUUID().toString();
        return new Publisher() {
            @Override
            public void publish(long n) throws Exception {
                var h = new Headers();
                headers.forEach(h::put);
                jetStream.publish(NatsMessage.builder().subject(target.routingKey()).headers(h).data(body).build(),
                        PublishOptions.builder().messageId(run + n).build());
            }

            @Override
            public void close() throws Exception {
                connection.close();
            }
        };
    }

    private static Publisher redis(Target target, byte[] body, Map<String, String> headers) {
        var jedis = new Jedis(java.net.URI.create(target.address()));
        var fields = new java.util.LinkedHashMap<String, String>();
        fields.put("body", new String(body, java.nio.charset.StandardCharsets.UTF_8));
        fields.putAll(headers);
        return new Publisher() {
            @Override
            public void publish(long n) {
                jedis.xadd(target.name(), XAddParams.xAddParams().maxLen(100_000).approximateTrimming(), fields);
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    /** Headers shaped like Herald's (names and value lengths), so both publish the same bytes. */
    public static Map<String, String> heraldLikeHeaders() {
        return Map.of("webhook-id", "evt_" + "0".repeat(26), "webhook-timestamp", "1700000000",
                "webhook-signature", "v1," + "A".repeat(44),
                "X-Herald-Signature", "t=1700000000,v1=" + "0".repeat(64));
    }

    /** The destination types, each with its broker's port on 127.0.0.1. */
    public static final Map<String, Integer> PORTS = new java.util.LinkedHashMap<>(Map.of(
            "rabbitmq", 5672, "nats", 4222, "redis_stream", 6379));

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

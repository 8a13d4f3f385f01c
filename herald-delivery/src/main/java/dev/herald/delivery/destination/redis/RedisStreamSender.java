package dev.herald.delivery.destination.redis;

import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.destination.Destination;
import dev.herald.delivery.destination.DestinationSender;
import dev.herald.delivery.destination.OutboundMessage;
import dev.herald.delivery.destination.broker.BlockingPublishes;
import dev.herald.delivery.destination.broker.BrokerAddress;
import dev.herald.delivery.destination.broker.BrokerConnections;
import dev.herald.delivery.destination.broker.BrokerException;
import dev.herald.delivery.destination.broker.BrokerFailures;
import dev.herald.delivery.destination.broker.BrokerSettings;
import dev.herald.delivery.destination.broker.ConnectionKey;
import dev.herald.delivery.destination.broker.SharedConnection;
import dev.herald.delivery.send.SendResult;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAddParams;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends to a Redis stream with {@code XADD}: the body in field {@code body}, each header in a field of its
 * name, trimmed to about {@code maxlen} entries when set. One connection per address and credentials; XADDs on
 * it take turns (each is a fraction of a millisecond, and a slow Redis holds only its own endpoints).
 */
public final class RedisStreamSender implements DestinationSender, AutoCloseable {
    private static final BrokerFailures FAILURES = new BrokerFailures(RedisStreamSender::known);

    private final BrokerSettings settings;
    private final BlockingPublishes publishes;
    private final BrokerConnections<Link> connections = new BrokerConnections<>(BrokerSettings.IDLE_AFTER);

    public RedisStreamSender(BrokerSettings settings) {
        this.settings = settings;
        this.publishes = new BlockingPublishes("redis", settings.timeout(), FAILURES);
    }

    @Override
    public CompletableFuture<SendResult> send(OutboundMessage message) {
        if (!(message.destination() instanceof Destination.RedisStream redis)) {
            throw new IllegalArgumentException("not a redis_stream destination: " + message.destination().type());
        }
        var key = new ConnectionKey(redis.url(), redis.credentials());
        SharedConnection<Link> shared = connections.get(key, k -> new SharedConnection<>(
                "redis " + redis.url(), () -> open(redis), link -> link.jedis.isConnected() && !link.jedis.isBroken(),
                FAILURES, settings));
        return publishes.run(() -> publish(shared, redis, message));
    }

    private String publish(SharedConnection<Link> shared, Destination.RedisStream redis, OutboundMessage message)
            throws Exception {
        Link link = shared.get();
        var fields = new LinkedHashMap<String, String>();
        fields.put("body", new String(message.body(), StandardCharsets.UTF_8));
        fields.putAll(message.headers());
        XAddParams params = XAddParams.xAddParams();
        if (redis.maxlen().isPresent()) {
            params.maxLen(redis.maxlen().getAsLong()).approximateTrimming();
        }
        link.turn.lock();
        try {
            StreamEntryID id = link.jedis.xadd(redis.stream(), params, fields);
            return "entry " + id;
        } catch (JedisConnectionException e) {
            shared.discard(link);
            throw e;
        } finally {
            link.turn.unlock();
        }
    }

    private Link open(Destination.RedisStream redis) throws Exception {
        URI url = redis.url();
        boolean tls = url.getScheme().equalsIgnoreCase("rediss");
        InetAddress address = BrokerAddress.checked(url, settings.hosts());
        int millis = Math.toIntExact(settings.timeout().toMillis());
        var config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .clientName("herald")
                // RESP2 outright: XADD answers the same in both, and auto-negotiation warns on every connect.
                .resp2()
                .database(database(url))
                .ssl(tls);
        if (tls) {
            // Jedis checks no host name by default; HTTPS's rules make the certificate name the broker's host.
            var parameters = new javax.net.ssl.SSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            config.sslParameters(parameters);
        }
        redis.credentials().ifPresent(c -> {
            if (c.password().isPresent()) {
                if (!c.username().isEmpty()) {
                    config.user(c.username());
                }
                config.password(c.password().get());
            } else {
                config.password(c.username());
            }
        });
        // TLS needs the name to verify the certificate; plain connections dial exactly the checked address.
        var hostAndPort = new HostAndPort(tls ? url.getHost() : BrokerAddress.text(address, false),
                url.getPort() > 0 ? url.getPort() : 6379);
        var jedis = new Jedis(hostAndPort, config.build());
        try {
            jedis.ping();
        } catch (RuntimeException e) {
            jedis.close();
            throw e;
        }
        return new Link(jedis);
    }

    /** The database number is the URL's path ({@code redis://host/2}); none is database 0. */
    static int database(URI url) {
        String path = url.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Optional<BrokerException> known(Throwable e) {
        if (e instanceof JedisConnectionException c) {
            for (Throwable cause = c.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.SocketTimeoutException) {
                    return Optional.of(new BrokerException(ErrorClass.TIMEOUT, "timeout: " + BrokerFailures.brief(c)));
                }
            }
            return Optional.of(new BrokerException(ErrorClass.CONNECT, "connection error: " + BrokerFailures.brief(c)));
        }
        if (e instanceof JedisAccessControlException) {
            return Optional.of(new BrokerException(ErrorClass.AUTH, "authentication failed"));
        }
        if (e instanceof JedisDataException d) {
            String text = String.valueOf(d.getMessage());
            String upper = text.toUpperCase(Locale.ROOT);
            if (upper.startsWith("NOAUTH") || upper.startsWith("WRONGPASS") || upper.startsWith("NOPERM")
                    || upper.startsWith("ERR AUTH") || upper.contains("INVALID PASSWORD")) {
                return Optional.of(new BrokerException(ErrorClass.AUTH, "authentication failed"));
            }
            return Optional.of(new BrokerException(ErrorClass.NACK, "redis refused the entry: "
                    + BrokerFailures.brief(d)));
        }
        return Optional.empty();
    }

    /** A connection and the lock its XADDs take turns on. */
    private static final class Link implements AutoCloseable {
        final Jedis jedis;
        final ReentrantLock turn = new ReentrantLock();

        Link(Jedis jedis) {
            this.jedis = jedis;
        }

        @Override
        public void close() {
            jedis.close();
        }
    }

    @Override
    public void close() {
        publishes.close();
        connections.close();
    }
}

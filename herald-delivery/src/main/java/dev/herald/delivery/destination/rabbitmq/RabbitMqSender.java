package dev.herald.delivery.destination.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;

/**
 * Publishes to a RabbitMQ exchange: persistent messages, mandatory (an unroutable message is a {@code nack}),
 * each confirmed by the broker before the attempt succeeds. One connection per address and credentials, with
 * confirm channels reused one publish at a time (a channel's confirms are in order, so exclusive use ties each
 * confirm to its message).
 */
public final class RabbitMqSender implements DestinationSender, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqSender.class);
    private static final BrokerFailures FAILURES = new BrokerFailures(RabbitMqSender::known);
    /**
     * The client reports every dropped connection as a warning of its own; Herald already records the failure
     * on the attempt and logs the reconnect, so the client's reports go to debug.
     */
    private static final ForgivingExceptionHandler QUIET = new ForgivingExceptionHandler() {
        @Override
        protected void log(String message, Throwable e) {
            LOG.debug("RabbitMqSender: client reported: {} ({})", message, BrokerFailures.brief(e));
        }
    };

    private final BrokerSettings settings;
    private final BlockingPublishes publishes;
    private final BrokerConnections<Link> connections = new BrokerConnections<>(BrokerSettings.IDLE_AFTER);

    public RabbitMqSender(BrokerSettings settings) {
        this.settings = settings;
        this.publishes = new BlockingPublishes("rabbitmq", settings.timeout(), FAILURES);
    }

    @Override
    public CompletableFuture<SendResult> send(OutboundMessage message) {
        if (!(message.destination() instanceof Destination.RabbitMq rabbit)) {
            throw new IllegalArgumentException("not a rabbitmq destination: " + message.destination().type());
        }
        var key = new ConnectionKey(rabbit.uri(), rabbit.credentials());
        SharedConnection<Link> shared = connections.get(key, k -> new SharedConnection<>(
                "rabbitmq " + rabbit.uri(), () -> open(rabbit), link -> link.connection.isOpen(), FAILURES, settings));
        return publishes.run(() -> publish(shared, rabbit, message));
    }

    private String publish(SharedConnection<Link> shared, Destination.RabbitMq rabbit, OutboundMessage message)
            throws Exception {
        Link link = shared.get();
        ConfirmChannel channel = link.take();
        boolean reusable = false;
        try {
            channel.returned = null;
            var headers = new LinkedHashMap<String, Object>(message.headers());
            var properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .deliveryMode(2)
                    .messageId(message.eventId())
                    .type(message.eventType())
                    .timestamp(new Date())
                    .appId("herald")
                    .headers(headers)
                    .build();
            String routingKey = message.routed(rabbit.routingKey());
            channel.channel.basicPublish(rabbit.exchange(), routingKey, true, properties, message.body());
            boolean acked = channel.channel.waitForConfirms(settings.timeout().toMillis());
            reusable = true;
            if (!acked) {
                throw new BrokerException(ErrorClass.NACK, "broker nacked the message");
            }
            if (channel.returned != null) {
                throw new BrokerException(ErrorClass.NACK, "unroutable: " + channel.returned + " (exchange '"
                        + rabbit.exchange() + "', routing key '" + routingKey + "')");
            }
            return "ack";
        } catch (AlreadyClosedException | IOException e) {
            if (!link.connection.isOpen()) {
                shared.discard(link);
            }
            throw e;
        } finally {
            if (reusable && channel.channel.isOpen()) {
                link.idle.push(channel);
            } else {
                channel.close();
            }
        }
    }

    private Link open(Destination.RabbitMq rabbit) throws Exception {
        URI uri = rabbit.uri();
        boolean tls = uri.getScheme().equalsIgnoreCase("amqps");
        InetAddress address = BrokerAddress.checked(uri, settings.hosts());
        var factory = new ConnectionFactory();
        // TLS needs the name to verify the certificate; plain connections dial exactly the checked address.
        factory.setHost(tls ? uri.getHost() : BrokerAddress.text(address, false));
        factory.setPort(uri.getPort() > 0 ? uri.getPort() : tls ? 5671 : 5672);
        factory.setVirtualHost(virtualHost(uri));
        rabbit.credentials().ifPresent(c -> {
            factory.setUsername(c.username());
            factory.setPassword(c.password().orElse(""));
        });
        int millis = Math.toIntExact(settings.timeout().toMillis());
        factory.setConnectionTimeout(millis);
        factory.setHandshakeTimeout(millis);
        factory.setChannelRpcTimeout(millis);
        factory.setShutdownTimeout(millis);
        factory.setRequestedHeartbeat(30);
        // Herald reconnects itself (SharedConnection, with backoff); the client's own recovery would race it.
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setThreadFactory(Thread.ofPlatform().name("herald-amqp-", 0).daemon(true).factory());
        factory.setExceptionHandler(QUIET);
        if (tls) {
            factory.useSslProtocol(SSLContext.getDefault());
            factory.enableHostnameVerification();
        }
        return new Link(factory.newConnection("herald"));
    }

    /** The vhost is the URI's path without its slash, percent-decoded; none (or just {@code /}) is {@code /}. */
    static String virtualHost(URI uri) {
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "/";
        }
        return URLDecoder.decode(path.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Optional<BrokerException> known(Throwable e) {
        if (e instanceof PossibleAuthenticationFailureException) {
            return Optional.of(new BrokerException(ErrorClass.AUTH, "authentication failed"));
        }
        if (e instanceof TimeoutException) {
            return Optional.of(new BrokerException(ErrorClass.TIMEOUT, "timeout waiting for the broker"));
        }
        if (e instanceof ShutdownSignalException s) {
            String reason = s.getReason() instanceof AMQP.Channel.Close c ? c.getReplyCode() + " " + c.getReplyText()
                    : s.getReason() instanceof AMQP.Connection.Close c ? c.getReplyCode() + " " + c.getReplyText()
                    : BrokerFailures.brief(s);
            if (reason.toUpperCase(Locale.ROOT).contains("ACCESS_REFUSED")) {
                return Optional.of(new BrokerException(ErrorClass.AUTH, "access refused: " + reason));
            }
            if (!s.isHardError() && !s.isInitiatedByApplication()) {
                return Optional.of(new BrokerException(ErrorClass.NACK, "broker refused the message: " + reason));
            }
            return Optional.of(new BrokerException(ErrorClass.CONNECT, "connection closed: " + reason));
        }
        return Optional.empty();
    }

    /** A connection with its idle confirm channels. */
    private static final class Link implements AutoCloseable {
        final Connection connection;
        final ConcurrentLinkedDeque<ConfirmChannel> idle = new ConcurrentLinkedDeque<>();

        Link(Connection connection) {
            this.connection = connection;
        }

        ConfirmChannel take() throws IOException {
            ConfirmChannel channel;
            while ((channel = idle.poll()) != null) {
                if (channel.channel.isOpen()) {
                    return channel;
                }
            }
            Channel created = connection.createChannel();
            if (created == null) {
                throw new IOException("no channel available on the connection");
            }
            created.confirmSelect();
            var confirmChannel = new ConfirmChannel(created);
            created.addReturnListener(r -> confirmChannel.returned = r.getReplyCode() + " " + r.getReplyText());
            return confirmChannel;
        }

        @Override
        public void close() throws IOException {
            connection.abort(1000);
        }
    }

    /** A channel in confirm mode; {@code returned} is set when the broker returns the message being published. */
    private static final class ConfirmChannel {
        final Channel channel;
        volatile String returned;

        ConfirmChannel(Channel channel) {
            this.channel = channel;
        }

        void close() {
            try {
                if (channel.isOpen()) {
                    channel.abort();
                }
            } catch (IOException | RuntimeException e) {
                // The channel is dropped either way; a failed close leaves nothing to release on our side.
            }
        }
    }

    @Override
    public void close() {
        publishes.close();
        connections.close();
    }
}

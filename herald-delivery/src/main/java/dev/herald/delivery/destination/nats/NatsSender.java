package dev.herald.delivery.destination.nats;

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
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes to a NATS JetStream subject and waits for the stream's acknowledgement. {@code Nats-Msg-Id} is the
 * event id, so JetStream's duplicate window drops a redelivery of the same event. One connection per address and
 * credentials, shared by every publish (the client multiplexes).
 */
public final class NatsSender implements DestinationSender, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NatsSender.class);
    private static final BrokerFailures FAILURES = new BrokerFailures(NatsSender::known);
    /** The client's own error reports, logged briefly: its default listener would print to stderr. */
    private static final ErrorListener QUIET = new ErrorListener() {
        @Override
        public void errorOccurred(Connection conn, String error) {
            LOG.debug("NatsSender: server reported: {}", error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            LOG.debug("NatsSender: connection error: {}", BrokerFailures.brief(exp));
        }
    };

    private final BrokerSettings settings;
    private final BlockingPublishes publishes;
    private final BrokerConnections<Link> connections = new BrokerConnections<>(BrokerSettings.IDLE_AFTER);

    public NatsSender(BrokerSettings settings) {
        this.settings = settings;
        this.publishes = new BlockingPublishes("nats", settings.timeout(), FAILURES);
    }

    @Override
    public CompletableFuture<SendResult> send(OutboundMessage message) {
        if (!(message.destination() instanceof Destination.Nats nats)) {
            throw new IllegalArgumentException("not a nats destination: " + message.destination().type());
        }
        var key = new ConnectionKey(nats.url(), nats.credentials());
        SharedConnection<Link> shared = connections.get(key, k -> new SharedConnection<>(
                "nats " + nats.url(), () -> open(nats), link -> link.connection.getStatus() == Connection.Status.CONNECTED,
                FAILURES, settings));
        return publishes.run(() -> publish(shared, nats, message));
    }

    private String publish(SharedConnection<Link> shared, Destination.Nats nats, OutboundMessage message)
            throws Exception {
        Link link = shared.get();
        var headers = new Headers();
        message.headers().forEach(headers::put);
        String subject = message.routed(nats.subject());
        var natsMessage = NatsMessage.builder().subject(subject).headers(headers).data(message.body()).build();
        try {
            PublishAck ack = link.jetStream.publish(natsMessage, PublishOptions.builder()
                    .messageId(message.eventId()).streamTimeout(settings.timeout()).build());
            return "stream " + ack.getStream() + " seq " + ack.getSeqno() + (ack.isDuplicate() ? " (duplicate)" : "");
        } catch (IllegalStateException e) {
            // The client refuses to publish on a connection that closed under it.
            shared.discard(link);
            throw new BrokerException(ErrorClass.CONNECT, "connection closed: " + BrokerFailures.brief(e));
        } catch (java.io.IOException e) {
            if (link.connection.getStatus() != Connection.Status.CONNECTED) {
                shared.discard(link);
            }
            String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("no responders")) {
                throw new BrokerException(ErrorClass.NACK, "no JetStream stream takes subject " + subject);
            }
            throw e;
        }
    }

    private Link open(Destination.Nats nats) throws Exception {
        URI url = nats.url();
        boolean tls = url.getScheme().equalsIgnoreCase("tls");
        InetAddress address = BrokerAddress.checked(url, settings.hosts());
        int port = url.getPort() > 0 ? url.getPort() : 4222;
        // TLS needs the name to verify the certificate; plain connections dial exactly the checked address.
        String host = tls ? url.getHost() : BrokerAddress.text(address, true);
        var options = new Options.Builder()
                .server((tls ? "tls://" : "nats://") + host + ":" + port)
                .connectionName("herald")
                .connectionTimeout(settings.timeout())
                // Herald reconnects itself (SharedConnection, with backoff); the client's would race it.
                .noReconnect()
                .noRandomize()
                .errorListener(QUIET)
                .reportNoResponders();
        if (tls) {
            options.secure();
        }
        nats.credentials().ifPresent(c -> {
            if (c.password().isPresent()) {
                options.userInfo(c.username(), c.password().get());
            } else {
                options.token(c.username().toCharArray());
            }
        });
        Connection connection = Nats.connect(options.build());
        JetStream jetStream = connection.jetStream(JetStreamOptions.builder().requestTimeout(settings.timeout())
                .build());
        return new Link(connection, jetStream);
    }

    private static Optional<BrokerException> known(Throwable e) {
        if (e instanceof AuthenticationException) {
            return Optional.of(new BrokerException(ErrorClass.AUTH, "authentication failed"));
        }
        if (e instanceof JetStreamApiException api) {
            return Optional.of(new BrokerException(ErrorClass.NACK, "JetStream refused the message: "
                    + api.getErrorCode() + " " + BrokerFailures.brief(api)));
        }
        String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains("authorization violation") || text.contains("authentication")) {
            return Optional.of(new BrokerException(ErrorClass.AUTH, "authentication failed"));
        }
        if (text.contains("timeout or no response")) {
            return Optional.of(new BrokerException(ErrorClass.TIMEOUT, "timeout waiting for the stream's ack"));
        }
        return Optional.empty();
    }

    private record Link(Connection connection, JetStream jetStream) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            connection.close();
        }
    }

    @Override
    public void close() {
        publishes.close();
        connections.close();
    }
}

package dev.herald.delivery.destination;

import dev.herald.core.destination.DestinationType;
import dev.herald.delivery.destination.broker.BrokerSettings;
import dev.herald.delivery.destination.nats.NatsSender;
import dev.herald.delivery.destination.rabbitmq.RabbitMqSender;
import dev.herald.delivery.destination.redis.RedisStreamSender;
import dev.herald.delivery.send.SendResult;
import dev.herald.delivery.send.SendSettings;
import dev.herald.delivery.send.WebhookSender;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Picks the sender for each message by its destination type: the one place the attempt path branches on it.
 * Owns every sender and closes them with itself; broker connections are opened on first use.
 */
public final class Destinations implements DestinationSender, AutoCloseable {
    private final WebhookSender webhooks;
    private final RabbitMqSender rabbitmq;
    private final NatsSender nats;
    private final RedisStreamSender redis;
    private final Map<DestinationType, DestinationSender> byType = new EnumMap<>(DestinationType.class);

    private Destinations(WebhookSender webhooks, BrokerSettings brokers) {
        this.webhooks = webhooks;
        this.rabbitmq = new RabbitMqSender(brokers);
        this.nats = new NatsSender(brokers);
        this.redis = new RedisStreamSender(brokers);
        byType.put(DestinationType.WEBHOOK, m -> webhooks.send(m.url(), m.headers(), m.body()));
        byType.put(DestinationType.RABBITMQ, rabbitmq);
        byType.put(DestinationType.NATS, nats);
        byType.put(DestinationType.REDIS_STREAM, redis);
    }

    /** Every destination type, with {@code webhooks} for HTTP and broker senders made from {@code settings}. */
    public static Destinations create(WebhookSender webhooks, SendSettings settings) {
        return new Destinations(webhooks, BrokerSettings.from(settings));
    }

    @Override
    public CompletableFuture<SendResult> send(OutboundMessage message) {
        return byType.get(message.destination().type()).send(message);
    }

    @Override
    public void close() {
        try (webhooks; rabbitmq; nats; redis) {
            // Closed in reverse order by try-with-resources; each owns its connections and threads.
        }
    }
}

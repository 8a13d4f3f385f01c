package dev.herald.delivery.destination;

import dev.herald.delivery.send.SendResult;

import java.util.concurrent.CompletableFuture;

/**
 * Delivers one signed message to where an endpoint's destination says: an HTTP receiver or a broker. The future
 * never completes exceptionally; every failure is a classified {@link SendResult}.
 */
@FunctionalInterface
public interface DestinationSender {
    CompletableFuture<SendResult> send(OutboundMessage message);
}

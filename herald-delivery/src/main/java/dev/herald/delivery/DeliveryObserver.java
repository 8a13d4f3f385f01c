package dev.herald.delivery;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.store.AttemptRecord;

import java.util.List;

/**
 * Hears what the engine notices and answers with the events to publish about it (the platform's operational
 * webhooks); the engine publishes them off its own threads, as it publishes {@code endpoint.disabled}.
 */
public interface DeliveryObserver {
    DeliveryObserver NONE = new DeliveryObserver() {
    };

    /** An attempt recorded: the delivery as it was before it, its endpoint, and what was written. */
    default List<PublishRequest> attempted(Delivery delivery, Endpoint endpoint, AttemptRecord record) {
        return List.of();
    }

    /** An event the engine raised about an account's endpoint ({@code endpoint.disabled}). */
    default List<PublishRequest> raised(PublishRequest event) {
        return List.of();
    }
}

package dev.herald.store;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.event.Event;

import java.util.List;
import java.util.Objects;

/** The result of storing one draft; {@code created} is false when it was a repeat of an existing event. */
public record PublishedEvent(Event event, List<Delivery> deliveries, boolean created) {
    public PublishedEvent {
        Objects.requireNonNull(event, "event");
        deliveries = List.copyOf(deliveries);
    }
}

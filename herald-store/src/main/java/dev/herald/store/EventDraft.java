package dev.herald.store;

import dev.herald.core.event.Event;

import java.util.List;
import java.util.Objects;

/** An event to store with the deliveries its fan-out produced. */
public record EventDraft(Event event, List<DeliveryDraft> deliveries) {
    public EventDraft {
        Objects.requireNonNull(event, "event");
        deliveries = List.copyOf(deliveries);
    }
}

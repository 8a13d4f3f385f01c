package dev.herald.delivery.publish;

import dev.herald.core.event.Event;

import java.util.Objects;

/**
 * The answer to a publish: the stored event, how many deliveries it has, and whether this call created it
 * (false for a repeat).
 */
public record PublishReceipt(Event event, int deliveries, boolean created) {
    public PublishReceipt {
        Objects.requireNonNull(event, "event");
    }
}

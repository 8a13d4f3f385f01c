package dev.herald.store;

import dev.herald.core.delivery.Delivery;

import java.util.Objects;

/** A delivery this node holds a lease on, with the event's exact wire payload. */
public record ClaimedDelivery(Delivery delivery, String payload) {
    public ClaimedDelivery {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(payload, "payload");
    }
}

package dev.herald.store;

import dev.herald.core.endpoint.EndpointStatus;

import java.util.Objects;

/**
 * A status change that took place: the status it replaced, the new one, and how many pending deliveries it
 * held, released or cancelled in the same transaction.
 */
public record StatusChange(EndpointStatus from, EndpointStatus to, int deliveriesAffected) {
    public StatusChange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}

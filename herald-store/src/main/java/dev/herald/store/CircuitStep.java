package dev.herald.store;

import dev.herald.core.endpoint.Circuit;

import java.util.Objects;

/**
 * A step of an endpoint's circuit breaker that took place: the circuit after it, and how many pending deliveries it
 * held (opening) or released (a probe chosen, a ramp step, closing) in the same transaction.
 */
public record CircuitStep(Circuit circuit, int deliveriesAffected) {
    public CircuitStep {
        Objects.requireNonNull(circuit, "circuit");
    }
}

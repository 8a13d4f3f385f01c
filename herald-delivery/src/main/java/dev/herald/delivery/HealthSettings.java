package dev.herald.delivery;

import dev.herald.core.delivery.RetrySchedule;

import java.util.Objects;

/**
 * When failed deliveries are tried again and when an endpoint counts as failing.
 *
 * @param retrySchedule    the delays between attempts; its end disables an endpoint with no success since
 * @param failingThreshold consecutive failed attempts that mark an endpoint failing
 * @param breaker          whether a failing endpoint's circuit opens: only its oldest pending delivery probes it,
 *                         the others are held until a probe succeeds, then released at a ramp ({@code false}: every
 *                         delivery keeps its own retries, as before issue 24)
 */
public record HealthSettings(RetrySchedule retrySchedule, int failingThreshold, boolean breaker) {
    public HealthSettings {
        Objects.requireNonNull(retrySchedule, "retrySchedule");
        if (failingThreshold < 1) {
            throw new IllegalArgumentException("failing threshold must be positive");
        }
    }

    /** With the circuit breaker on (the default). */
    public HealthSettings(RetrySchedule retrySchedule, int failingThreshold) {
        this(retrySchedule, failingThreshold, true);
    }
}

package dev.herald.delivery;

import dev.herald.core.delivery.RetrySchedule;

import java.util.Objects;

/**
 * When failed deliveries are tried again and when an endpoint counts as failing.
 *
 * @param retrySchedule    the delays between attempts; its end disables an endpoint with no success since
 * @param failingThreshold consecutive failed attempts that mark an endpoint failing
 */
public record HealthSettings(RetrySchedule retrySchedule, int failingThreshold) {
    public HealthSettings {
        Objects.requireNonNull(retrySchedule, "retrySchedule");
        if (failingThreshold < 1) {
            throw new IllegalArgumentException("failing threshold must be positive");
        }
    }
}

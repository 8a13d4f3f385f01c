package dev.herald.core.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When each attempt of a delivery is due. {@code delays.get(n)} is the wait before attempt {@code n + 1}
 * (the first is normally zero); {@code jitter} spreads retries by ±that fraction so that endpoints
 * recovering from an outage are not hit by a synchronised wave.
 */
public record RetrySchedule(List<Duration> delays, double jitter) {
    /** Seed 002: immediately, 1 min, 5 min, 30 min, 2 h. */
    public static final RetrySchedule DEFAULT = new RetrySchedule(List.of(Duration.ZERO, Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2)), 0.10);

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule has at least one attempt");
        }
        for (var d : delays) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("retry delays must not be negative");
            }
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
    }

    /** Most delays an endpoint's own schedule may have. */
    public static final int MAX_ENDPOINT_DELAYS = 20;
    /** Longest delay an endpoint's own schedule may have. */
    public static final Duration MAX_ENDPOINT_DELAY = Duration.ofHours(24);

    /** The same jitter with other delays (an endpoint's own schedule). */
    public RetrySchedule withDelays(List<Duration> other) {
        return new RetrySchedule(other, jitter);
    }

    /**
     * Why {@code delays} cannot be an endpoint's own schedule (none, more than {@link #MAX_ENDPOINT_DELAYS}, or a
     * delay outside 0 s to {@link #MAX_ENDPOINT_DELAY}); empty when it can.
     */
    public static Optional<String> endpointDelaysProblem(List<Duration> delays) {
        if (delays.isEmpty()) {
            return Optional.of("retry_schedule needs at least one delay (the first attempt's, normally 0)");
        }
        if (delays.size() > MAX_ENDPOINT_DELAYS) {
            return Optional.of("retry_schedule has at most " + MAX_ENDPOINT_DELAYS + " delays");
        }
        for (var d : delays) {
            if (d.isNegative() || d.compareTo(MAX_ENDPOINT_DELAY) > 0) {
                return Optional.of("each retry_schedule delay is between 0 and " + MAX_ENDPOINT_DELAY.toSeconds()
                        + " seconds");
            }
        }
        return Optional.empty();
    }

    public int maxAttempts() {
        return delays.size();
    }

    public Duration longestDelay() {
        return delays.stream().max(Duration::compareTo).orElseThrow();
    }

    /**
     * When attempt {@code attemptsMade + 1} is due after {@code attemptsMade} failed attempts,
     * or empty when the schedule is exhausted.
     */
    public Optional<Instant> nextAttemptAt(int attemptsMade, Instant now, RandomGenerator random) {
        if (attemptsMade >= delays.size()) {
            return Optional.empty();
        }
        Duration base = delays.get(attemptsMade);
        if (base.isZero() || jitter == 0) {
            return Optional.of(now.plus(base));
        }
        double factor = 1 + (random.nextDouble() * 2 - 1) * jitter;
        return Optional.of(now.plusMillis(Math.round(base.toMillis() * factor)));
    }

    /**
     * The delay a receiver asked for with {@code Retry-After}, capped at the schedule's longest delay,
     * as the next attempt time; empty when the schedule is exhausted.
     */
    public Optional<Instant> retryAfter(int attemptsMade, Instant now, Duration requested) {
        if (attemptsMade >= delays.size()) {
            return Optional.empty();
        }
        Duration capped = requested.compareTo(longestDelay()) > 0 ? longestDelay() : requested;
        return Optional.of(now.plus(capped.isNegative() ? Duration.ZERO : capped));
    }
}

package dev.herald.core.endpoint;

import java.time.Instant;
import java.util.Optional;

/**
 * Per-endpoint counters, updated with every attempt and never recomputed from the attempt log.
 * {@code consecutiveFailures} drives the {@code failing} status.
 */
public record EndpointStats(long successful, long failed, int consecutiveFailures,
                            Optional<Instant> lastSuccessAt, Optional<Instant> lastFailureAt,
                            Optional<Instant> lastAttemptAt, Optional<String> lastError) {
    public static final EndpointStats EMPTY = new EndpointStats(0, 0, 0,
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Attempts of either outcome (the canonical {@code stats.total_sent}). */
    public long totalAttempts() {
        return successful + failed;
    }
}

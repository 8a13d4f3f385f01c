package dev.herald.delivery;

import java.time.Duration;

/**
 * How this node takes work from the store and gives it back.
 *
 * @param leaseDuration how long claimed work stays ours before another node may take it over
 * @param pollInterval  how often due retries are looked for when nothing wakes the poller
 * @param batchSize     most deliveries claimed, events inserted or attempts recorded in one transaction
 * @param nodeId        this process's name on leases
 * @param shutdownGrace how long {@code close()} waits for requests in flight
 * @param sweepInterval how often the poller looks for what nothing else would move: held deliveries nothing holds any
 *                      more, and circuits left with no step to take (a node died between an attempt and the circuit's
 *                      next step)
 */
public record QueueSettings(Duration leaseDuration, Duration pollInterval, int batchSize, String nodeId,
                            Duration shutdownGrace, Duration sweepInterval) {
    public QueueSettings {
        DeliverySettings.positive(leaseDuration, "leaseDuration");
        DeliverySettings.positive(pollInterval, "pollInterval");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 100) {
            throw new IllegalArgumentException("node id must be 1-100 characters");
        }
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative");
        }
        DeliverySettings.positive(sweepInterval, "sweepInterval");
    }
}

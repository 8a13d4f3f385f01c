package dev.herald.delivery.publish;

import java.time.Duration;
import java.util.Objects;

/**
 * How publishes are stored: the node that leases the deliveries it sends at once, for how long, and how many
 * events one transaction takes at most.
 */
public record PublishSettings(String nodeId, Duration leaseDuration, int batchSize) {
    public PublishSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
    }
}

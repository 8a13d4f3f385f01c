package dev.herald.store;

import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.endpoint.EndpointId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery to create. {@code nextAttemptAt} is empty for a paused endpoint (held until resumed).
 * A {@code lease} means the publishing node sends it itself right after commit, so pollers leave it alone
 * until the lease expires.
 */
public record DeliveryDraft(DeliveryId id, EndpointId endpointId, Optional<Instant> nextAttemptAt,
                            Optional<Lease> lease) {
    public DeliveryDraft {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lease, "lease");
    }
}

package dev.herald.store;

import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.endpoint.EndpointId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery to create. {@code nextAttemptAt} is empty for a paused endpoint (held until resumed).
 * A {@code lease} means the publishing node sends it itself right after commit, so pollers leave it alone
 * until the lease expires. A {@code sequenced} delivery (to a FIFO endpoint) gets the endpoint's next sequence number
 * in the transaction that stores it.
 */
public record DeliveryDraft(DeliveryId id, EndpointId endpointId, Optional<Instant> nextAttemptAt,
                            Optional<Lease> lease, boolean sequenced) {
    public DeliveryDraft {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lease, "lease");
        if (sequenced && lease.isPresent()) {
            throw new IllegalArgumentException("a FIFO endpoint's delivery is claimed in order, never leased at publish");
        }
    }

    /** A delivery to an unordered endpoint. */
    public DeliveryDraft(DeliveryId id, EndpointId endpointId, Optional<Instant> nextAttemptAt, Optional<Lease> lease) {
        this(id, endpointId, nextAttemptAt, lease, false);
    }
}

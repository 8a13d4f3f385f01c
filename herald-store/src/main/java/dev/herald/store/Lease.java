package dev.herald.store;

import java.time.Instant;
import java.util.Objects;

/** Who may work on a delivery until when. Expired leases are free to claim (crash recovery). */
public record Lease(String owner, Instant until) {
    public Lease {
        if (owner == null || owner.isBlank() || owner.length() > 100) {
            throw new IllegalArgumentException("lease owner must be 1-100 characters");
        }
        Objects.requireNonNull(until, "until");
    }
}

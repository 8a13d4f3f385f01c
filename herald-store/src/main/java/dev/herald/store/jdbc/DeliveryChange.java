package dev.herald.store.jdbc;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.store.AttemptRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one change a batch's attempts of a delivery make to its row, as applying them one by one would: each applies
 * only while the delivery is pending, so attempts after the first that finished it change nothing; the last one
 * applied sets state, count, next attempt and update time; the first failure applied is the first failure time
 * (unless the row already has one).
 */
record DeliveryChange(long key, DeliveryState state, int attempts, Optional<Instant> nextAttemptAt,
                      Optional<Instant> failedAt, Instant updatedAt) {

    /** Folds {@code ordered} (sorted by delivery key, each delivery's attempts in the order they finished). */
    static List<DeliveryChange> fold(List<AttemptRecord> ordered) {
        var changes = new ArrayList<DeliveryChange>();
        DeliveryChange current = null;
        for (AttemptRecord r : ordered) {
            if (current != null && current.key() == r.deliveryKey()) {
                if (current.state() == DeliveryState.PENDING) {
                    current = current.then(r);
                }
                continue;
            }
            if (current != null) {
                changes.add(current);
            }
            current = new DeliveryChange(r.deliveryKey(), r.newState(), r.number(), r.nextAttemptAt(),
                    failedAt(r), r.attemptedAt());
        }
        if (current != null) {
            changes.add(current);
        }
        return changes;
    }

    private DeliveryChange then(AttemptRecord r) {
        return new DeliveryChange(key, r.newState(), r.number(), r.nextAttemptAt(), failedAt.or(() -> failedAt(r)),
                r.attemptedAt());
    }

    private static Optional<Instant> failedAt(AttemptRecord r) {
        return r.succeeded() ? Optional.empty() : Optional.of(r.attemptedAt());
    }
}

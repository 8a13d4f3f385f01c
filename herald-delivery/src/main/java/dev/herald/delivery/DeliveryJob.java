package dev.herald.delivery;

import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.ClaimedDelivery;

/**
 * A leased delivery waiting for, or in, its next attempt on this node. Its start time is the dispatcher's, kept here
 * (under the dispatcher's lock) rather than in a map keyed by delivery, which boxed a key and a time per attempt.
 */
final class DeliveryJob {
    private final ClaimedDelivery claimed;
    /** When the dispatcher started its attempt ({@link System#nanoTime}); set under the dispatcher's lock. */
    private long startedNanos;

    DeliveryJob(ClaimedDelivery claimed) {
        this.claimed = claimed;
    }

    ClaimedDelivery claimed() {
        return claimed;
    }

    EndpointId endpointId() {
        return claimed.delivery().endpointId();
    }

    long key() {
        return claimed.delivery().key();
    }

    long startedNanos() {
        return startedNanos;
    }

    void started(long nanos) {
        startedNanos = nanos;
    }

    @Override
    public String toString() {
        return "DeliveryJob[" + claimed.delivery().id() + "]";
    }
}

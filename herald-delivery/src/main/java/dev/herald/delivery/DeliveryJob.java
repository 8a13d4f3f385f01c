package dev.herald.delivery;

import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.ClaimedDelivery;

/** A leased delivery waiting for, or in, its next attempt on this node. */
record DeliveryJob(ClaimedDelivery claimed) {
    EndpointId endpointId() {
        return claimed.delivery().endpointId();
    }

    long key() {
        return claimed.delivery().key();
    }
}

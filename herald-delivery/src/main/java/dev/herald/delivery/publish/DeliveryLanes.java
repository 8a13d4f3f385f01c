package dev.herald.delivery.publish;

import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.ClaimedDelivery;

import java.time.Duration;

/**
 * What publishing needs of the node's dispatcher: a place for a new delivery in its endpoint's lane, held while
 * the event commits, then either the delivery to send at once or the place given back.
 */
public interface DeliveryLanes {
    /** Reserves a place for a delivery about to be published to {@code endpoint}; false when there is none. */
    boolean tryReserve(Endpoint endpoint);

    /** How long a delivery that found no place should wait before a poller claims it. */
    Duration backoff(EndpointId endpoint);

    /** Hands over a committed delivery for which a place was reserved; it is leased to this node. */
    void submitReserved(ClaimedDelivery delivery);

    void cancelReservation(EndpointId endpoint);
}

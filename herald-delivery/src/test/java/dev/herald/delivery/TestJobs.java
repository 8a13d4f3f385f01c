package dev.herald.delivery;

import dev.herald.core.account.AccountId;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;
import dev.herald.store.ClaimedDelivery;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** Claimed deliveries made up for tests of the engine's parts, without a store. */
final class TestJobs {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private TestJobs() {
    }

    /** A pending delivery of row key {@code key} to {@code endpoint}, due now, as a claim hands it over. */
    static DeliveryJob job(EndpointId endpoint, long key) {
        var delivery = new Delivery(key, DeliveryId.generate(), new AccountId(1), EventId.generate(), "job.done",
                endpoint, DeliveryState.PENDING, 0, Optional.of(NOW), Optional.empty(), NOW, NOW,
                OptionalLong.empty());
        return new DeliveryJob(new ClaimedDelivery(delivery, EncodedPayload.of("{}"), Optional.empty(),
                EventFormat.CANONICAL));
    }
}

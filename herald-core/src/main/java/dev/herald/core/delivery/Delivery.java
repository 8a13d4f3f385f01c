package dev.herald.core.delivery;

import dev.herald.core.account.AccountId;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.event.EventId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One event to one endpoint.
 *
 * @param key           the internal row id (the store's primary key)
 * @param nextAttemptAt when the next attempt is due; empty while the endpoint is paused or when final
 * @param firstFailedAt when its first attempt failed; decides whether exhausting it disables the endpoint
 * @param sequence      its place among its FIFO endpoint's deliveries (1, 2, 3 … in publish order), sent as the
 *                      {@code webhook-sequence} header; empty for an unordered endpoint
 */
public record Delivery(long key, DeliveryId id, AccountId accountId, EventId eventId, String eventType,
                       EndpointId endpointId, DeliveryState state, int attempts,
                       Optional<Instant> nextAttemptAt, Optional<Instant> firstFailedAt,
                       Instant createdAt, Instant updatedAt, OptionalLong sequence) {
    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(firstFailedAt, "firstFailedAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
        Objects.requireNonNull(sequence, "sequence");
    }

    /** A delivery of an unordered endpoint (the shape before issue 24). */
    public Delivery(long key, DeliveryId id, AccountId accountId, EventId eventId, String eventType,
                    EndpointId endpointId, DeliveryState state, int attempts, Optional<Instant> nextAttemptAt,
                    Optional<Instant> firstFailedAt, Instant createdAt, Instant updatedAt) {
        this(key, id, accountId, eventId, eventType, endpointId, state, attempts, nextAttemptAt, firstFailedAt,
                createdAt, updatedAt, OptionalLong.empty());
    }
}

package dev.herald.store;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.EndpointId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome of one attempt and what it does to its delivery: the new state and, when still pending,
 * when the next attempt is due.
 *
 * @param number the attempt's 1-based number, which becomes the delivery's attempt count
 */
public record AttemptRecord(long deliveryKey, EndpointId endpointId, int number, Instant attemptedAt,
                            long durationMillis, OptionalInt responseStatus, String responseBody,
                            Optional<ErrorClass> errorClass, Optional<String> errorMessage,
                            DeliveryState newState, Optional<Instant> nextAttemptAt) {
    public AttemptRecord {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(responseStatus, "responseStatus");
        Objects.requireNonNull(responseBody, "responseBody");
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(newState, "newState");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if (number < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1");
        }
        if ((newState == DeliveryState.PENDING) != nextAttemptAt.isPresent()) {
            throw new IllegalArgumentException("a pending delivery needs a next attempt time, a final one none");
        }
    }

    public boolean succeeded() {
        return errorClass.isEmpty();
    }
}

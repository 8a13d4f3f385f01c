package dev.herald.core.delivery;

import dev.herald.core.endpoint.EndpointId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One HTTP try of a delivery.
 *
 * @param responseBody the first 4 KiB of the response body (decoded leniently as UTF-8)
 * @param errorClass   empty on success
 * @param errorMessage a short human message such as {@code HTTP 500} or {@code timeout after 5000 ms}
 * @param manual       made by a manual retry, resend or test send rather than by the schedule
 */
public record Attempt(long id, long deliveryKey, EndpointId endpointId, int number, Instant attemptedAt,
                      long durationMillis, OptionalInt responseStatus, String responseBody,
                      Optional<ErrorClass> errorClass, Optional<String> errorMessage, boolean manual) {
    public static final int MAX_BODY_CHARS = 4096;

    public Attempt {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        Objects.requireNonNull(responseStatus, "responseStatus");
        Objects.requireNonNull(responseBody, "responseBody");
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(errorMessage, "errorMessage");
    }

    public boolean succeeded() {
        return errorClass.isEmpty();
    }
}

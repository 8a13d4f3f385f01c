package dev.herald.delivery.send;

import dev.herald.core.delivery.ErrorClass;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one HTTP try produced: the status and first 4 KiB of body when the receiver answered, else (or for a
 * non-2xx answer) the error class and a short human message.
 *
 * @param retryAfter what a 429 or 503 asked for with {@code Retry-After}, uncapped
 */
public record SendResult(OptionalInt status, String body, Optional<ErrorClass> errorClass,
                         Optional<String> errorMessage, long durationMillis, Optional<Duration> retryAfter) {
    public SendResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(errorClass, "errorClass");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** No answer to judge: the try failed (or was refused before connecting) with {@code errorClass}. */
    public static SendResult failure(ErrorClass errorClass, String message, long durationMillis) {
        return new SendResult(OptionalInt.empty(), "", Optional.of(errorClass), Optional.of(message), durationMillis,
                Optional.empty());
    }

    public boolean succeeded() {
        return errorClass.isEmpty();
    }

    /** The receiver said the endpoint is gone for good (410): the endpoint is disabled at once. */
    public boolean gone() {
        return status.isPresent() && status.getAsInt() == 410;
    }
}

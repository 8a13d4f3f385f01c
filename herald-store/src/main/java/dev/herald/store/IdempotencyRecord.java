package dev.herald.store;

import java.time.Instant;
import java.util.Objects;

/** The first response to a request made with an {@code Idempotency-Key}, replayed for repeats. */
public record IdempotencyRecord(String requestHash, int status, String body, Instant createdAt) {
    public IdempotencyRecord {
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}

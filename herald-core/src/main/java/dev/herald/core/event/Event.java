package dev.herald.core.event;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A published event. {@code payload} is the exact wire body
 * ({@code {"id":…,"type":…,"timestamp":…,"data":…}}), stored once so every retry sends the same bytes.
 * {@code publishedBy} is the API key it was published with; a platform publish names one only when asked to.
 */
public record Event(EventId id, AccountId accountId, String type, Instant timestamp, String payload,
                    Optional<String> idempotencyKey, Optional<ApiKeyId> publishedBy) {
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(publishedBy, "publishedBy");
    }
}

package dev.herald.core.event;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A published event. {@code body} is the exact wire body
 * ({@code {"id":…,"type":…,"timestamp":…,"data":…}}), stored once so every retry sends the same bytes.
 * {@code publishedBy} is the API key it was published with; a platform publish names one only when asked to.
 * {@code format} says how the payload goes on the wire; a Svix message also carries the platform's own
 * {@code uid} for it (Svix's {@code eventId}) and its {@code channels}.
 */
public record Event(EventId id, AccountId accountId, String type, Instant timestamp, EncodedPayload body,
                    Optional<String> idempotencyKey, Optional<ApiKeyId> publishedBy, EventFormat format,
                    Optional<String> uid, List<String> channels) {
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(publishedBy, "publishedBy");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(uid, "uid");
        channels = List.copyOf(channels);
    }

    /** An event whose wire body is {@code payload}'s text. */
    public Event(EventId id, AccountId accountId, String type, Instant timestamp, String payload,
                 Optional<String> idempotencyKey, Optional<ApiKeyId> publishedBy, EventFormat format,
                 Optional<String> uid, List<String> channels) {
        this(id, accountId, type, timestamp, EncodedPayload.of(payload), idempotencyKey, publishedBy, format, uid,
                channels);
    }

    /** A canonical event (Herald's envelope, no uid or channels). */
    public Event(EventId id, AccountId accountId, String type, Instant timestamp, String payload,
                 Optional<String> idempotencyKey, Optional<ApiKeyId> publishedBy) {
        this(id, accountId, type, timestamp, payload, idempotencyKey, publishedBy, EventFormat.CANONICAL,
                Optional.empty(), List.of());
    }

    /** The wire body as text. */
    public String payload() {
        return body.text();
    }

    /** The same event with {@code timestamp} (as the store keeps it). */
    public Event withTimestamp(Instant value) {
        return new Event(id, accountId, type, value, body, idempotencyKey, publishedBy, format, uid, channels);
    }
}

package dev.herald.service.event;

import dev.herald.core.account.ApiKeyId;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.EventId;

import java.util.Objects;
import java.util.Optional;

/**
 * One event of a batch publish, as the caller gave it.
 *
 * @param position   its place in the request, from 0 (its share of the request's idempotency key is named by it)
 * @param accountRef for a platform batch only: the account to publish for, by its id or uid
 * @param asKey      for a platform batch only: the account's key to publish as
 * @param data       the event's {@code data} as compact JSON text of an object, delivered as given
 */
public record BatchEvent(int position, String type, EncodedPayload data, Optional<EventId> id,
                         Optional<String> accountRef, Optional<ApiKeyId> asKey) {
    public BatchEvent {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountRef, "accountRef");
        Objects.requireNonNull(asKey, "asKey");
    }

    /** An event of an account's own batch. */
    public static BatchEvent own(int position, String type, EncodedPayload data, Optional<EventId> id) {
        return new BatchEvent(position, type, data, id, Optional.empty(), Optional.empty());
    }

    /** An event of the platform's batch, for the account named by {@code accountRef}. */
    public static BatchEvent forAccount(int position, String accountRef, Optional<ApiKeyId> asKey, String type,
                                        EncodedPayload data, Optional<EventId> id) {
        return new BatchEvent(position, type, data, id, Optional.of(accountRef), asKey);
    }
}

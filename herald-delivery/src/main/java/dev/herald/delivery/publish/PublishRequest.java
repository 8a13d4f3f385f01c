package dev.herald.delivery.publish;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.event.EventId;

import java.util.Objects;
import java.util.Optional;

/**
 * One event to publish.
 *
 * @param publishingKey the key it is published with (endpoints scoped to another key do not receive it)
 * @param dataJson      the raw JSON text of {@code data}, an object
 * @param id            a caller-chosen event id; repeating it returns the original event
 */
public record PublishRequest(AccountId account, ApiKeyId publishingKey, String type, String dataJson,
                             Optional<EventId> id, Optional<String> idempotencyKey) {
    public PublishRequest {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(publishingKey, "publishingKey");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dataJson, "dataJson");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }
}

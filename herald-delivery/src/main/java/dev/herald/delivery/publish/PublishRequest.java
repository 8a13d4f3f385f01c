package dev.herald.delivery.publish;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.event.EventId;

import java.util.Objects;
import java.util.Optional;

/**
 * One event to publish.
 *
 * @param publishingKey the key it is published with (endpoints scoped to another key, or to any key when it is
 *                      empty, do not receive it)
 * @param data          the event's {@code data}; read, never modified
 * @param id            a caller-chosen event id; repeating it returns the original event
 * @param traceparent   the publisher's W3C {@code traceparent} header; the publish span continues its trace
 */
public record PublishRequest(AccountId account, Optional<ApiKeyId> publishingKey, String type, ObjectNode data,
                             Optional<EventId> id, Optional<String> idempotencyKey, Optional<String> traceparent) {
    public PublishRequest {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(publishingKey, "publishingKey");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(traceparent, "traceparent");
    }

    /** A publish without a trace context. */
    public PublishRequest(AccountId account, Optional<ApiKeyId> publishingKey, String type, ObjectNode data,
                          Optional<EventId> id, Optional<String> idempotencyKey) {
        this(account, publishingKey, type, data, id, idempotencyKey, Optional.empty());
    }
}

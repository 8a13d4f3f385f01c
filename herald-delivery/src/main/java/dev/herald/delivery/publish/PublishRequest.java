package dev.herald.delivery.publish;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One event to publish.
 *
 * @param publishingKey the key it is published with (endpoints scoped to another key, or to any key when it is
 *                      empty, do not receive it)
 * @param data          the event's {@code data} as compact JSON text of an object (as {@link WirePayload#compact}
 *                      writes it); delivered exactly so, inside the envelope
 * @param id            a caller-chosen event id; repeating it returns the original event
 * @param traceparent   the publisher's W3C {@code traceparent} header; the publish span continues its trace
 * @param format        how the event goes on the wire; for {@link EventFormat#SVIX} {@code data} is the whole body
 * @param uid           the platform's own id for the event (a Svix message's {@code eventId})
 * @param channels      the event's channels: endpoints listening to channels receive it only on one of theirs
 * @param rawPayload    for a Svix message sent as raw text (the SDKs' {@code transformationsParams.rawPayload}),
 *                      the exact body to deliver; {@code data} is then its parsed form
 */
public record PublishRequest(AccountId account, Optional<ApiKeyId> publishingKey, String type, EncodedPayload data,
                             Optional<EventId> id, Optional<String> idempotencyKey, Optional<String> traceparent,
                             EventFormat format, Optional<String> uid, List<String> channels,
                             Optional<String> rawPayload) {
    public PublishRequest {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(uid, "uid");
        channels = List.copyOf(channels);
        Objects.requireNonNull(rawPayload, "rawPayload");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(publishingKey, "publishingKey");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(traceparent, "traceparent");
    }

    /** A canonical publish of {@code data} given as compact JSON text. */
    public PublishRequest(AccountId account, Optional<ApiKeyId> publishingKey, String type, EncodedPayload data,
                          Optional<EventId> id, Optional<String> idempotencyKey, Optional<String> traceparent) {
        this(account, publishingKey, type, data, id, idempotencyKey, traceparent, EventFormat.CANONICAL,
                Optional.empty(), List.of(), Optional.empty());
    }

    /** A canonical publish of {@code data} given as a tree. */
    public PublishRequest(AccountId account, Optional<ApiKeyId> publishingKey, String type, ObjectNode data,
                          Optional<EventId> id, Optional<String> idempotencyKey, Optional<String> traceparent) {
        this(account, publishingKey, type, WirePayload.compact(data), id, idempotencyKey, traceparent);
    }

    /** A publish without a trace context. */
    public PublishRequest(AccountId account, Optional<ApiKeyId> publishingKey, String type, ObjectNode data,
                          Optional<EventId> id, Optional<String> idempotencyKey) {
        this(account, publishingKey, type, data, id, idempotencyKey, Optional.empty());
    }
}

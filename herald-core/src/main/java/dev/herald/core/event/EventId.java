package dev.herald.core.event;

import dev.herald.core.id.RandomIds;

import java.util.Optional;

/**
 * The public id of an event: {@code evt_…}. It is also the Standard Webhooks {@code webhook-id}, the same
 * on every retry and every endpoint, so receivers can de-duplicate. Callers may supply their own.
 */
public record EventId(String value) {
    public static final String PREFIX = "evt_";
    /** The prefix of the same id on the Svix surface. */
    public static final String SVIX_PREFIX = "msg_";

    public EventId {
        if (!RandomIds.hasShape(value, PREFIX)) {
            throw new IllegalArgumentException("event id must be evt_ followed by 1-64 of [A-Za-z0-9_-]");
        }
    }

    public static EventId generate() {
        return new EventId(RandomIds.timeOrdered(PREFIX, 24, System.currentTimeMillis()));
    }

    public static boolean isValid(String value) {
        return RandomIds.hasShape(value, PREFIX);
    }

    /** Svix's name for this event as a message: {@code msg_} and the same suffix. */
    public String svixMessageId() {
        return SVIX_PREFIX + value.substring(PREFIX.length());
    }

    /** The event a Svix message id ({@code msg_…}) names; empty when it is not one. */
    public static Optional<EventId> fromSvixMessageId(String text) {
        return text != null && RandomIds.hasShape(text, SVIX_PREFIX)
                ? Optional.of(new EventId(PREFIX + text.substring(SVIX_PREFIX.length())))
                : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}

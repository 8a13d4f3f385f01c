package dev.herald.core.event;

import dev.herald.core.id.RandomIds;

/**
 * The public id of an event: {@code evt_…}. It is also the Standard Webhooks {@code webhook-id}, the same
 * on every retry and every endpoint, so receivers can de-duplicate. Callers may supply their own.
 */
public record EventId(String value) {
    public static final String PREFIX = "evt_";

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

    @Override
    public String toString() {
        return value;
    }
}

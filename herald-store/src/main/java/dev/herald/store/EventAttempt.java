package dev.herald.store;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.event.EventId;

import java.util.Objects;

/** An attempt with the public id of the event its delivery carried (a Svix attempt names its message). */
public record EventAttempt(Attempt attempt, EventId eventId) {
    public EventAttempt {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(eventId, "eventId");
    }
}

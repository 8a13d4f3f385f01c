package dev.herald.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which of an account's events a listing shows: of one type, and occurred at or after {@code since} and before
 * {@code until}; each bound optional.
 */
public record EventFilter(Optional<String> type, Optional<Instant> since, Optional<Instant> until) {
    public static final EventFilter ALL = new EventFilter(Optional.empty(), Optional.empty(), Optional.empty());

    public EventFilter {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
    }

    public EventFilter withType(String value) {
        return new EventFilter(Optional.of(value), since, until);
    }

    public EventFilter withSince(Instant value) {
        return new EventFilter(type, Optional.of(value), until);
    }

    public EventFilter withUntil(Instant value) {
        return new EventFilter(type, since, Optional.of(value));
    }
}

package dev.herald.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which of an account's events a listing shows: of one type, of any of {@code types} (when not empty), and occurred
 * at or after {@code since} and before {@code until}; each bound optional.
 */
public record EventFilter(Optional<String> type, Optional<Instant> since, Optional<Instant> until,
                          List<String> types) {
    public static final EventFilter ALL = new EventFilter(Optional.empty(), Optional.empty(), Optional.empty());

    /** Most types a listing may ask for at once. */
    public static final int MAX_TYPES = 100;

    public EventFilter {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        types = List.copyOf(types);
        if (types.size() > MAX_TYPES) {
            throw new IllegalArgumentException("at most " + MAX_TYPES + " types");
        }
    }

    public EventFilter(Optional<String> type, Optional<Instant> since, Optional<Instant> until) {
        this(type, since, until, List.of());
    }

    public EventFilter withType(String value) {
        return new EventFilter(Optional.of(value), since, until, types);
    }

    /** Only events of one of {@code value}. */
    public EventFilter withTypes(List<String> value) {
        return new EventFilter(type, since, until, value);
    }

    public EventFilter withSince(Instant value) {
        return new EventFilter(type, Optional.of(value), until, types);
    }

    public EventFilter withUntil(Instant value) {
        return new EventFilter(type, since, Optional.of(value), types);
    }
}

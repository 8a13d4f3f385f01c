package dev.herald.core.delivery;

import java.util.Locale;
import java.util.Optional;

/** pending → delivered | failed (schedule exhausted) | cancelled (endpoint disabled or deleted). */
public enum DeliveryState {
    PENDING,
    DELIVERED,
    FAILED,
    CANCELLED;

    /** Computed once: it is written with every attempt row and read back with every delivery row. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static Optional<DeliveryState> fromWire(String value) {
        for (var state : values()) {
            if (state.wireName().equals(value)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}

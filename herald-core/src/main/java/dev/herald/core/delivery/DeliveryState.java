package dev.herald.core.delivery;

import dev.herald.core.WireName;

import java.util.Locale;
import java.util.Optional;

/** pending → delivered | failed (schedule exhausted) | cancelled (endpoint disabled or deleted). */
public enum DeliveryState implements WireName {
    PENDING,
    DELIVERED,
    FAILED,
    CANCELLED;

    private static final DeliveryState[] ALL = values();
    /** Computed once: it is written with every attempt row and read back with every delivery row. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<DeliveryState> fromWire(String value) {
        return WireName.find(ALL, value);
    }
}

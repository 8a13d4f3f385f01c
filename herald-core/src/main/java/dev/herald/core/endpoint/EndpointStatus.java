package dev.herald.core.endpoint;

import dev.herald.core.WireName;

import java.util.Locale;
import java.util.Optional;

/**
 * Lifecycle of an endpoint. {@code active} and {@code failing} receive deliveries; {@code paused}
 * holds them until resumed; {@code disabled} receives nothing and only a user sets it back.
 */
public enum EndpointStatus implements WireName {
    ACTIVE,
    PAUSED,
    FAILING,
    DISABLED;

    private static final EndpointStatus[] ALL = values();
    private final String wireName = name().toLowerCase(Locale.ROOT);

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<EndpointStatus> fromWire(String value) {
        return WireName.find(ALL, value);
    }

    /** Whether new deliveries are sent right away (true) rather than held or not created. */
    public boolean delivers() {
        return this == ACTIVE || this == FAILING;
    }

    /** Seed 004's boolean {@code enabled}. */
    public boolean enabled() {
        return delivers();
    }
}

package dev.herald.core.endpoint;

import java.util.Locale;
import java.util.Optional;

/**
 * Lifecycle of an endpoint. {@code active} and {@code failing} receive deliveries; {@code paused}
 * holds them until resumed; {@code disabled} receives nothing and only a user sets it back.
 */
public enum EndpointStatus {
    ACTIVE,
    PAUSED,
    FAILING,
    DISABLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EndpointStatus> fromWire(String value) {
        for (var status : values()) {
            if (status.wireName().equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
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

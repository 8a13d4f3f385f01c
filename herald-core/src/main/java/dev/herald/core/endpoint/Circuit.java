package dev.herald.core.endpoint;

import java.util.Locale;
import java.util.Optional;

/**
 * An endpoint's circuit breaker. {@code closed}: deliveries flow as usual. {@code open}: the endpoint turned
 * failing, only its oldest pending delivery probes it on its own retry schedule and the others are held.
 * {@code half_open}: a probe succeeded and held deliveries are released at a ramp; a failure opens it again, a
 * finished ramp closes it.
 */
public enum Circuit {
    CLOSED,
    OPEN,
    HALF_OPEN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Circuit> fromWire(String value) {
        for (var circuit : values()) {
            if (circuit.wireName().equals(value)) {
                return Optional.of(circuit);
            }
        }
        return Optional.empty();
    }
}

package dev.herald.core.endpoint;

import dev.herald.core.WireName;

import java.util.Locale;
import java.util.Optional;

/**
 * An endpoint's circuit breaker. {@code closed}: deliveries flow as usual. {@code open}: the endpoint turned
 * failing, only its oldest pending delivery probes it on its own retry schedule and the others are held.
 * {@code half_open}: a probe succeeded and held deliveries are released at a ramp; a failure opens it again, a
 * finished ramp closes it.
 */
public enum Circuit implements WireName {
    CLOSED,
    OPEN,
    HALF_OPEN;

    private static final Circuit[] ALL = values();
    private final String wireName = name().toLowerCase(Locale.ROOT);

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<Circuit> fromWire(String value) {
        return WireName.find(ALL, value);
    }
}

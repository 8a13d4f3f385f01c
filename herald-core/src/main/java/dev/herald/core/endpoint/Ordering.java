package dev.herald.core.endpoint;

import dev.herald.core.WireName;

import java.util.Locale;
import java.util.Optional;

/**
 * How an endpoint receives its deliveries. {@code unordered} (the default): several at a time, each retried on its
 * own. {@code fifo}: in publish order, one at a time; the next goes once the previous was delivered or finally
 * failed, so a retried delivery holds back everything behind it.
 */
public enum Ordering implements WireName {
    UNORDERED,
    FIFO;

    private static final Ordering[] ALL = values();
    private final String wireName = name().toLowerCase(Locale.ROOT);

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<Ordering> fromWire(String value) {
        return WireName.find(ALL, value);
    }
}

package dev.herald.core.endpoint;

import java.util.Locale;
import java.util.Optional;

/**
 * How an endpoint receives its deliveries. {@code unordered} (the default): several at a time, each retried on its
 * own. {@code fifo}: in publish order, one at a time; the next goes once the previous was delivered or finally
 * failed, so a retried delivery holds back everything behind it.
 */
public enum Ordering {
    UNORDERED,
    FIFO;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Ordering> fromWire(String value) {
        for (var ordering : values()) {
            if (ordering.wireName().equals(value)) {
                return Optional.of(ordering);
            }
        }
        return Optional.empty();
    }
}

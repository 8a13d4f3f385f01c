package dev.herald.core.destination;

import java.util.Locale;
import java.util.Optional;

/** The kinds of place an endpoint's deliveries go to: an HTTP receiver or a message broker. */
public enum DestinationType {
    WEBHOOK,
    RABBITMQ,
    NATS,
    REDIS_STREAM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DestinationType> fromWire(String value) {
        for (var t : values()) {
            if (t.wireName().equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

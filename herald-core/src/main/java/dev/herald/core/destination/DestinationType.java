package dev.herald.core.destination;

import dev.herald.core.WireName;

import java.util.Locale;
import java.util.Optional;

/** The kinds of place an endpoint's deliveries go to: an HTTP receiver or a message broker. */
public enum DestinationType implements WireName {
    WEBHOOK,
    RABBITMQ,
    NATS,
    REDIS_STREAM;

    private static final DestinationType[] ALL = values();
    private final String wireName = name().toLowerCase(Locale.ROOT);

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<DestinationType> fromWire(String value) {
        return WireName.find(ALL, value);
    }
}

package dev.herald.core.event;

import dev.herald.core.WireName;

import java.util.Optional;

/**
 * How an event's stored payload goes on the wire. A canonical event's payload is Herald's envelope
 * ({@code {"id","type","timestamp","data"}}), signed with the {@code webhook-*} headers and Herald's timestamped
 * one; a Svix event's payload is the message's own JSON exactly as given, signed with the {@code svix-*} and
 * {@code webhook-*} headers under its {@code msg_} id. Stored with the event, so retries, resends and recovery after
 * a restart send it the same way.
 */
public enum EventFormat implements WireName {
    CANONICAL("canonical"),
    SVIX("svix");

    private static final EventFormat[] ALL = values();
    private final String wireName;

    EventFormat(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<EventFormat> fromWire(String text) {
        return WireName.find(ALL, text);
    }
}

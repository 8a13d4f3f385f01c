package dev.herald.core.delivery;

import dev.herald.core.WireName;

import java.util.Locale;
import java.util.Optional;

/**
 * Why an attempt failed. {@code STATUS} means the receiver answered with a non-2xx status; {@code AUTH} that a
 * broker refused the credentials, {@code NACK} that it refused the message (negative confirm, no stream).
 */
public enum ErrorClass implements WireName {
    TIMEOUT,
    CONNECT,
    TLS,
    DNS,
    BLOCKED,
    STATUS,
    REDIRECT,
    PROTOCOL,
    AUTH,
    NACK;

    private static final ErrorClass[] ALL = values();
    /** Computed once: it is written with every attempt row and read back with every delivery row. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<ErrorClass> fromWire(String value) {
        return WireName.find(ALL, value);
    }
}

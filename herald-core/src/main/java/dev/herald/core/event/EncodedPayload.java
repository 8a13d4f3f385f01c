package dev.herald.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An event's exact wire payload, as text and as the UTF-8 bytes every attempt sends: encoded once per event and
 * shared by its deliveries (all of a fan-out) and their attempts, instead of once per attempt.
 */
public final class EncodedPayload {
    private final String text;
    private final byte[] utf8;

    private EncodedPayload(String text) {
        this.text = Objects.requireNonNull(text, "payload");
        this.utf8 = text.getBytes(StandardCharsets.UTF_8);
    }

    public static EncodedPayload of(String text) {
        return new EncodedPayload(text);
    }

    public String text() {
        return text;
    }

    /** The payload's UTF-8 bytes; shared by every send of the event, so never to be written to. */
    public byte[] utf8() {
        return utf8;
    }

    /** Equal when the text is (the bytes follow from it). */
    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedPayload p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The text only: a payload may be large, and equal text means equal bytes. */
    @Override
    public String toString() {
        return text;
    }
}

package dev.herald.core.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * JSON text held as whichever form it was made from (its text, or its UTF-8 bytes) and given in the other form only
 * when asked, once: an event's exact wire payload, and a publish's {@code data} on its way into it. A publish keeps
 * the request's bytes of its data, writes the payload's bytes around them, the store writes and reads those bytes as
 * they are, and every attempt of every delivery of the event sends them: the text is made only for those that show
 * it (the API, the portal).
 */
public final class EncodedPayload {
    /** Set at construction or on first use; a volatile write publishes the array with its contents. */
    private volatile String text;
    private volatile byte[] utf8;

    private EncodedPayload(String text, byte[] utf8) {
        this.text = text;
        this.utf8 = utf8;
    }

    public static EncodedPayload of(String text) {
        return new EncodedPayload(Objects.requireNonNull(text, "payload"), null);
    }

    /** The payload of these UTF-8 bytes, which become its own: the caller must not write to them afterwards. */
    public static EncodedPayload ofUtf8(byte[] utf8) {
        return new EncodedPayload(null, Objects.requireNonNull(utf8, "payload"));
    }

    public String text() {
        String t = text;
        if (t == null) {
            t = new String(utf8, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** The payload's UTF-8 bytes; shared by every send of the event, so never to be written to. */
    public byte[] utf8() {
        byte[] b = utf8;
        if (b == null) {
            b = text.getBytes(StandardCharsets.UTF_8);
            utf8 = b;
        }
        return b;
    }

    /** Equal when the bytes are (equal bytes mean equal text). */
    @Override
    public boolean equals(Object other) {
        return other instanceof EncodedPayload p && Arrays.equals(p.utf8(), utf8());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8());
    }

    /** The text only: a payload may be large, and equal text means equal bytes. */
    @Override
    public String toString() {
        return text();
    }
}

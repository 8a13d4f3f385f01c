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
    /**
     * A payload made of part of a larger array (a publish's data within its request body): read where it lies,
     * copied into an array of its own only if {@link #utf8} is asked for.
     */
    private final byte[] within;
    private final int offset;
    private final int length;

    private EncodedPayload(String text, byte[] utf8, byte[] within, int offset, int length) {
        this.text = text;
        this.utf8 = utf8;
        this.within = within;
        this.offset = offset;
        this.length = length;
    }

    public static EncodedPayload of(String text) {
        return new EncodedPayload(Objects.requireNonNull(text, "payload"), null, null, 0, 0);
    }

    /** The payload of these UTF-8 bytes, which become its own: the caller must not write to them afterwards. */
    public static EncodedPayload ofUtf8(byte[] utf8) {
        return new EncodedPayload(null, Objects.requireNonNull(utf8, "payload"), null, 0, 0);
    }

    /**
     * The payload of {@code length} UTF-8 bytes of {@code array} from {@code offset}, read where they lie (no copy is
     * made unless {@link #utf8} is asked for): the caller must not write to them afterwards.
     */
    public static EncodedPayload ofUtf8(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        if (offset == 0 && length == array.length) {
            return ofUtf8(array);
        }
        return new EncodedPayload(null, null, array, offset, length);
    }

    public String text() {
        String t = text;
        if (t == null) {
            byte[] b = utf8;
            t = b != null ? new String(b, StandardCharsets.UTF_8) : new String(within, offset, length,
                    StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** The payload's UTF-8 bytes; shared by every send of the event, so never to be written to. */
    public byte[] utf8() {
        byte[] b = utf8;
        if (b == null) {
            b = within != null ? Arrays.copyOfRange(within, offset, offset + length)
                    : text.getBytes(StandardCharsets.UTF_8);
            utf8 = b;
        }
        return b;
    }

    /** How many UTF-8 bytes the payload has. */
    public int utf8Length() {
        return within != null ? length : utf8().length;
    }

    /** Copies the payload's UTF-8 bytes into {@code into} at {@code at}; returns the index after them. */
    public int copyUtf8(byte[] into, int at) {
        if (within != null) {
            System.arraycopy(within, offset, into, at, length);
        } else {
            System.arraycopy(utf8(), 0, into, at, utf8Length());
        }
        return at + utf8Length();
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

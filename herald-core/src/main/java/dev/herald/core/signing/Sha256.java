package dev.herald.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * SHA-256 digests kept for reuse, shared by every HMAC key and every token hash: {@code MessageDigest.getInstance}
 * builds a digest with its buffers each time (a tenth of what authenticating a request allocated). A digest is
 * reset whenever it finishes, so a kept one is as good as new; hashing never blocks, so about one per core is in
 * use at once and a few more cover the overlap.
 */
public final class Sha256 {
    /** Length of a hash in bytes. */
    public static final int LENGTH = 32;
    private static final int KEPT = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Idle digests, each reset; an empty slot is null. */
    private static final AtomicReferenceArray<MessageDigest> IDLE = new AtomicReferenceArray<>(KEPT);

    private Sha256() {
    }

    /** Lowercase hex of the SHA-256 of {@code text}'s UTF-8 bytes. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Lowercase hex of the SHA-256 of {@code parts}, read in order as one message: the hash is written into the
     * second half of the string's own array and spelled out from its front.
     */
    public static String hex(byte[]... parts) {
        MessageDigest digest = take();
        for (byte[] part : parts) {
            digest.update(part);
        }
        byte[] hex = new byte[LENGTH * 2];
        try {
            digest.digest(hex, LENGTH, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 did not write its " + LENGTH + " bytes", e);
        }
        give(digest);
        spellHex(hex, LENGTH, LENGTH, hex, 0);
        return new String(hex, StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes {@code length} bytes of {@code bytes} from {@code from} as lowercase hex into {@code out} at {@code at}.
     * {@code out} may be {@code bytes} itself with the hex written before the bytes it spells: each byte is read
     * before the two it becomes are written, which never reach a byte not yet read.
     */
    static void spellHex(byte[] bytes, int from, int length, byte[] out, int at) {
        for (int i = 0; i < length; i++) {
            int b = bytes[from + i] & 0xff;
            out[at + 2 * i] = HEX[b >>> 4];
            out[at + 2 * i + 1] = HEX[b & 0x0f];
        }
    }

    /** A reset digest, kept or new; hand it back with {@link #give} once it has finished (digest() resets it). */
    static MessageDigest take() {
        for (int i = 0; i < KEPT; i++) {
            MessageDigest kept = IDLE.get(i);
            if (kept != null && IDLE.compareAndSet(i, kept, null)) {
                return kept;
            }
        }
        return newDigest();
    }

    /** Keeps {@code digest}, which must be reset (finished), for the next hash, unless enough are kept already. */
    static void give(MessageDigest digest) {
        for (int i = 0; i < KEPT; i++) {
            if (IDLE.get(i) == null && IDLE.compareAndSet(i, null, digest)) {
                return;
            }
        }
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}

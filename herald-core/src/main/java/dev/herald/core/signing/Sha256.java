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

    /**
     * Lowercase hex of the SHA-256 of {@code text}'s UTF-8 bytes: the hash is written into the second half of the
     * string's own array and spelled out from its front.
     */
    public static String hex(String text) {
        MessageDigest digest = take();
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        byte[] hex = new byte[LENGTH * 2];
        try {
            digest.digest(hex, LENGTH, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 did not write its " + LENGTH + " bytes", e);
        }
        give(digest);
        for (int i = 0; i < LENGTH; i++) {
            int b = hex[LENGTH + i] & 0xff;
            hex[2 * i] = HEX[b >>> 4];
            hex[2 * i + 1] = HEX[b & 0x0f];
        }
        return new String(hex, StandardCharsets.ISO_8859_1);
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

package dev.herald.core.signing;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * HMAC-SHA256 (RFC 2104) under one key, the one primitive both signature schemes use, written over the JDK's SHA-256
 * so that a signature allocates nothing: the JDK's {@code Mac} returns its inner hash as a new array every time. Safe
 * to share: each signature uses a digest of its own, taken from a few kept for reuse (a digest resets itself when it
 * finishes). The key is kept only as its two padded blocks, as the JDK's {@code Mac} keeps it.
 */
final class Hmac {
    private static final String DIGEST = "SHA-256";
    /** Length of a signature in bytes. */
    static final int LENGTH = 32;
    /** SHA-256's block: a longer key is hashed first, a shorter one padded with zeros. */
    private static final int BLOCK = 64;
    /** Signing never blocks, so about one digest per core is ever in use at once; a few more cover the overlap. */
    private static final int KEPT = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

    private final byte[] innerPad;
    private final byte[] outerPad;
    /** Idle digests, each reset; an empty slot is null. */
    private final AtomicReferenceArray<MessageDigest> idle = new AtomicReferenceArray<>(KEPT);

    private Hmac(byte[] innerPad, byte[] outerPad) {
        this.innerPad = innerPad;
        this.outerPad = outerPad;
    }

    static Hmac keyed(byte[] key) {
        byte[] k = key.length > BLOCK ? newDigest().digest(key) : key;
        byte[] inner = new byte[BLOCK];
        byte[] outer = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            inner[i] = (byte) (b ^ 0x36);
            outer[i] = (byte) (b ^ 0x5c);
        }
        return new Hmac(inner, outer);
    }

    /** Writes the MAC of {@code a}, {@code b} and {@code c}, in order, into {@code out} (at least {@link #LENGTH}). */
    void sign(byte[] out, byte[] a, byte[] b, byte[] c) {
        MessageDigest digest = take(out);
        digest.update(a);
        digest.update(b);
        digest.update(c);
        finish(digest, out);
    }

    /** Writes the MAC of the five parts, in order, into {@code out} (at least {@link #LENGTH} bytes). */
    void sign(byte[] out, byte[] a, byte[] b, byte[] c, byte[] d, byte[] e) {
        MessageDigest digest = take(out);
        digest.update(a);
        digest.update(b);
        digest.update(c);
        digest.update(d);
        digest.update(e);
        finish(digest, out);
    }

    /** The inner hash into {@code out}, then the outer hash of it over it; the digest goes back reset. */
    private void finish(MessageDigest digest, byte[] out) {
        try {
            digest.digest(out, 0, LENGTH);
            digest.update(outerPad);
            digest.update(out, 0, LENGTH);
            digest.digest(out, 0, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 did not write its " + LENGTH + " bytes", e);
        }
        give(digest);
    }

    /** A reset digest that has read the inner pad; {@code out} is checked first, so no digest is left half-used. */
    private MessageDigest take(byte[] out) {
        if (out.length < LENGTH) {
            throw new IllegalArgumentException("a signature needs " + LENGTH + " bytes, not " + out.length);
        }
        MessageDigest digest = null;
        for (int i = 0; i < KEPT && digest == null; i++) {
            MessageDigest kept = idle.get(i);
            if (kept != null && idle.compareAndSet(i, kept, null)) {
                digest = kept;
            }
        }
        if (digest == null) {
            digest = newDigest();
        }
        digest.update(innerPad);
        return digest;
    }

    /** Keeps {@code digest} for the next signature, unless enough are kept already. */
    private void give(MessageDigest digest) {
        for (int i = 0; i < KEPT; i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, digest)) {
                return;
            }
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(DIGEST);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}

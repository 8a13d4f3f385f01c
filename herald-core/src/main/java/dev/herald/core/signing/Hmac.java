package dev.herald.core.signing;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * HMAC-SHA256 (RFC 2104) under one key, the one primitive both signature schemes use, written over the JDK's SHA-256
 * so that a signature allocates nothing: the JDK's {@code Mac} returns its inner hash as a new array every time. Safe
 * to share: each signature uses a digest of its own, taken from those {@link Sha256} keeps for reuse. The key is
 * kept only as its two padded blocks, as the JDK's {@code Mac} keeps it.
 */
final class Hmac {
    /** Length of a signature in bytes. */
    static final int LENGTH = Sha256.LENGTH;
    /** SHA-256's block: a longer key is hashed first, a shorter one padded with zeros. */
    private static final int BLOCK = 64;

    private final byte[] innerPad;
    private final byte[] outerPad;

    private Hmac(byte[] innerPad, byte[] outerPad) {
        this.innerPad = innerPad;
        this.outerPad = outerPad;
    }

    static Hmac keyed(byte[] key) {
        byte[] k = key.length > BLOCK ? Sha256.newDigest().digest(key) : key;
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
        Sha256.give(digest);
    }

    /** A reset digest that has read the inner pad; {@code out} is checked first, so no digest is left half-used. */
    private MessageDigest take(byte[] out) {
        if (out.length < LENGTH) {
            throw new IllegalArgumentException("a signature needs " + LENGTH + " bytes, not " + out.length);
        }
        MessageDigest digest = Sha256.take();
        digest.update(innerPad);
        return digest;
    }
}

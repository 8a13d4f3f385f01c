package dev.herald.core.signing;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * HMAC-SHA256 under one key, the one primitive both signature schemes use. Safe to share: each signature uses a MAC
 * of its own, taken from a few kept for reuse (copying the keyed prototype, as every signature once did, was most of
 * what signing allocated; keying a new one costs several times a copy).
 */
final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";
    /** Length of a signature in bytes. */
    static final int LENGTH = 32;
    /** Signing never blocks, so about one MAC per core is ever in use at once; a few more cover the overlap. */
    private static final int KEPT = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);

    private final Mac prototype;
    /** Idle MACs, each reset (a MAC resets itself when it finishes); an empty slot is null. */
    private final AtomicReferenceArray<Mac> idle = new AtomicReferenceArray<>(KEPT);

    private Hmac(Mac prototype) {
        this.prototype = prototype;
    }

    static Hmac keyed(byte[] key) {
        try {
            var mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return new Hmac(mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    /** Writes the MAC of {@code a}, {@code b} and {@code c}, in order, into {@code out} (at least {@link #LENGTH}). */
    void sign(byte[] out, byte[] a, byte[] b, byte[] c) {
        Mac mac = take();
        mac.update(a);
        mac.update(b);
        mac.update(c);
        finish(mac, out);
    }

    /** Writes the MAC of the five parts, in order, into {@code out} (at least {@link #LENGTH} bytes). */
    void sign(byte[] out, byte[] a, byte[] b, byte[] c, byte[] d, byte[] e) {
        Mac mac = take();
        mac.update(a);
        mac.update(b);
        mac.update(c);
        mac.update(d);
        mac.update(e);
        finish(mac, out);
    }

    private void finish(Mac mac, byte[] out) {
        try {
            mac.doFinal(out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("a signature needs " + LENGTH + " bytes", e);
        }
        give(mac);
    }

    private Mac take() {
        for (int i = 0; i < KEPT; i++) {
            Mac mac = idle.get(i);
            if (mac != null && idle.compareAndSet(i, mac, null)) {
                return mac;
            }
        }
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
        }
    }

    /** Keeps {@code mac} for the next signature, unless enough are kept already. */
    private void give(Mac mac) {
        for (int i = 0; i < KEPT; i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, mac)) {
                return;
            }
        }
    }
}

package dev.herald.core.signing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.security.GeneralSecurityException;

/** HMAC-SHA256, the one primitive both signature schemes use. */
final class Hmac {
    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {
    }

    /**
     * A MAC set up with {@code key}, used only as a prototype for {@link #sha256(Mac, byte[]...)}: copying it
     * costs a few array copies, looking up the provider and keying a new one costs several times that.
     */
    static Mac keyed(byte[] key) {
        try {
            var mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    /** The MAC of the parts under the prototype's key; the prototype itself is never changed (safe to share). */
    static byte[] sha256(Mac prototype, byte[]... parts) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
        }
        for (var part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }
}

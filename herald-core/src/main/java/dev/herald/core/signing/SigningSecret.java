package dev.herald.core.signing;

import dev.herald.core.id.RandomIds;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An endpoint's signing secret as the user sees it. Generated secrets are {@code whsec_} + base64 of
 * 32 random bytes; users may also supply their own (seeds 000 and 002).
 */
public record SigningSecret(String value) {
    public static final String PREFIX = "whsec_";
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 256;

    public SigningSecret {
        if (value == null || value.length() < MIN_LENGTH || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("signing secret must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("signing secret must be printable ASCII without spaces");
            }
        }
        if (value.startsWith(PREFIX)) {
            try {
                if (Base64.getDecoder().decode(value.substring(PREFIX.length())).length < 16) {
                    throw new IllegalArgumentException("a whsec_ secret must carry at least 16 bytes");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a whsec_ secret must be whsec_ followed by base64", e);
            }
        }
    }

    public static SigningSecret generate() {
        return new SigningSecret(PREFIX + Base64.getEncoder().encodeToString(RandomIds.bytes(32)));
    }

    /** The Standard Webhooks HMAC key: decoded bytes of a {@code whsec_} secret, else the UTF-8 bytes. */
    public byte[] standardWebhooksKey() {
        if (value.startsWith(PREFIX)) {
            return Base64.getDecoder().decode(value.substring(PREFIX.length()));
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code t=,v1=} HMAC key: the UTF-8 bytes of the whole secret string, as Stripe does. */
    public byte[] timestampedKey() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Never print the secret. */
    @Override
    public String toString() {
        return "SigningSecret[redacted]";
    }
}

package dev.herald.core.platform;

import dev.herald.core.account.ApiKeyToken;

/**
 * The plaintext of a platform key: {@code sk_platform_} + 64 lowercase hex characters (256 random bits), shown
 * once at creation; the store keeps only {@link #hash()}.
 */
public record PlatformKeyToken(String value) {
    public static final String PREFIX = "sk_platform_";

    public PlatformKeyToken {
        if (!looksValid(value)) {
            throw new IllegalArgumentException(
                    "platform key must be sk_platform_ followed by 64 lowercase hex characters");
        }
    }

    public static PlatformKeyToken generate() {
        return new PlatformKeyToken(ApiKeyToken.randomToken(PREFIX));
    }

    public static boolean looksValid(String value) {
        return ApiKeyToken.hasShape(value, PREFIX);
    }

    public String hash() {
        return ApiKeyToken.sha256Hex(value);
    }

    public String hint() {
        return value.substring(value.length() - 4);
    }

    /** Never print the token itself. */
    @Override
    public String toString() {
        return "PlatformKeyToken[…" + hint() + "]";
    }
}

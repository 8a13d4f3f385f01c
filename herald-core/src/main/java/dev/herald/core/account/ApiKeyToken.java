package dev.herald.core.account;

import dev.herald.core.id.RandomIds;
import dev.herald.core.signing.Sha256;

import java.util.HexFormat;

/**
 * The plaintext of an API key: {@code sk_live_} + 64 lowercase hex characters (256 random bits).
 * It is shown once at creation; the store keeps only {@link #hash()}. SHA-256 without salt is
 * enough because the token itself is 256 bits of randomness, not a password.
 */
public record ApiKeyToken(String value) {
    public static final String PREFIX = "sk_live_";

    public ApiKeyToken {
        if (!looksValid(value)) {
            throw new IllegalArgumentException("API key must be sk_live_ followed by 64 lowercase hex characters");
        }
    }

    public static ApiKeyToken generate() {
        return new ApiKeyToken(randomToken(PREFIX));
    }

    public static boolean looksValid(String value) {
        return hasShape(value, PREFIX);
    }

    /** {@code prefix} + 64 lowercase hex characters of 256 random bits: the shape of every Herald key. */
    public static String randomToken(String prefix) {
        return prefix + HexFormat.of().formatHex(RandomIds.bytes(32));
    }

    /** Whether {@code value} is {@code prefix} followed by exactly 64 lowercase hex characters. */
    public static boolean hasShape(String value, String prefix) {
        if (value == null || value.length() != prefix.length() + 64 || !value.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Hex SHA-256 of the token: what the store keeps and looks keys up by. */
    public String hash() {
        return sha256Hex(value);
    }

    public String hint() {
        return value.substring(value.length() - 4);
    }

    /** Hex SHA-256 of a token's text. */
    public static String sha256Hex(String text) {
        return Sha256.hex(text);
    }

    /** Never print the token itself. */
    @Override
    public String toString() {
        return "ApiKeyToken[…" + hint() + "]";
    }
}

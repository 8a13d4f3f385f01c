package dev.herald.core.id;

import java.security.SecureRandom;

/** Unguessable, non-sequential identifiers: a prefix followed by random base62 characters. */
public final class RandomIds {
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {
    }

    /** {@code prefix} + {@code length} base62 characters (24 characters carry ~143 bits of entropy). */
    public static String next(String prefix, int length) {
        var sb = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            sb.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return sb.toString();
    }

    public static byte[] bytes(int count) {
        var bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** True when {@code value} is {@code prefix} followed by 1..64 base62 characters. */
    public static boolean hasShape(String value, String prefix) {
        if (value == null || !value.startsWith(prefix)) {
            return false;
        }
        int n = value.length() - prefix.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = prefix.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

package dev.herald.core.id;

import java.security.SecureRandom;

/** Unguessable, non-sequential identifiers: a prefix followed by random base62 characters. */
public final class RandomIds {
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    /**
     * One DRBG for the process: NativePRNG reads /dev/urandom under a global lock on every call, which showed up
     * as a hot spot when each publish generated several ids character by character.
     */
    private static final SecureRandom RANDOM = newRandom();
    /** Bytes at or above this are rejected so that {@code b % 62} stays uniform (248 = 4 × 62). */
    private static final int UNBIASED_LIMIT = 248;

    private RandomIds() {
    }

    /** {@code prefix} + {@code length} base62 characters (24 characters carry ~143 bits of entropy). */
    public static String next(String prefix, int length) {
        var sb = new StringBuilder(prefix.length() + length).append(prefix);
        byte[] pool = new byte[length + length / 8 + 4];
        while (true) {
            RANDOM.nextBytes(pool);
            for (byte b : pool) {
                int v = b & 0xff;
                if (v < UNBIASED_LIMIT) {
                    sb.append(BASE62[v % BASE62.length]);
                    if (sb.length() == prefix.length() + length) {
                        return sb.toString();
                    }
                }
            }
        }
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
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

package dev.herald.core.id;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Unguessable identifiers: a prefix followed by base62 characters, either all random or (for rows written at a
 * high rate) a time prefix followed by random characters.
 */
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

    /** Base62 characters of the time prefix: milliseconds since the epoch fit until the year 8,900. */
    static final int TIME_CHARS = 8;

    /** {@code prefix} + {@code length} base62 characters (24 characters carry ~143 bits of entropy). */
    public static String next(String prefix, int length) {
        return appendRandom(new StringBuilder(prefix.length() + length).append(prefix), prefix.length() + length);
    }

    /**
     * {@code prefix} + {@code length} base62 characters of which the first {@value #TIME_CHARS} encode
     * {@code epochMillis}, the rest random (24 characters leave 16 random ones, ~95 bits). Ids made later sort
     * after earlier ones, like KSUIDs and UUIDv7, so the unique index on them grows at its right edge instead of
     * taking each insert on a random page: under load that is the difference between a few and hundreds of
     * index pages written per commit.
     */
    public static String timeOrdered(String prefix, int length, long epochMillis) {
        if (length <= TIME_CHARS) {
            throw new IllegalArgumentException("length must leave room for random characters after the time");
        }
        if (epochMillis < 0) {
            throw new IllegalArgumentException("epochMillis must not be negative");
        }
        var sb = new StringBuilder(prefix.length() + length).append(prefix);
        char[] time = new char[TIME_CHARS];
        long rest = epochMillis;
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            time[i] = BASE62[(int) (rest % BASE62.length)];
            rest /= BASE62.length;
        }
        return appendRandom(sb.append(time), prefix.length() + length);
    }

    /**
     * {@code prefix} + {@code length} base62 characters from a fast, non-cryptographic generator: for ids that
     * only tell things apart (request ids in logs), never for anything a caller could gain by guessing.
     */
    public static String nextNonSecret(String prefix, int length) {
        var random = ThreadLocalRandom.current();
        char[] chars = new char[prefix.length() + length];
        prefix.getChars(0, prefix.length(), chars, 0);
        for (int i = prefix.length(); i < chars.length; i++) {
            chars[i] = BASE62[random.nextInt(BASE62.length)];
        }
        return new String(chars);
    }

    private static String appendRandom(StringBuilder sb, int total) {
        int length = total - sb.length();
        byte[] pool = new byte[length + length / 8 + 4];
        while (true) {
            RANDOM.nextBytes(pool);
            for (byte b : pool) {
                int v = b & 0xff;
                if (v < UNBIASED_LIMIT) {
                    sb.append(BASE62[v % BASE62.length]);
                    if (sb.length() == total) {
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

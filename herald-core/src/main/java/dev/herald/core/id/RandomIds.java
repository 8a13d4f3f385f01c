package dev.herald.core.id;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Unguessable identifiers: a prefix followed by base62 characters, either all random or (for rows written at a
 * high rate) a time prefix followed by random characters.
 */
public final class RandomIds {
    private static final byte[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
    /**
     * One DRBG for the process: NativePRNG reads /dev/urandom under a global lock on every call, which showed up
     * as a hot spot when each publish generated several ids character by character.
     */
    private static final SecureRandom RANDOM = newRandom();
    /** Bytes at or above this are rejected so that {@code b % 62} stays uniform (248 = 4 × 62). */
    private static final int UNBIASED_LIMIT = 248;
    /**
     * The DRBG's output is drawn a block at a time and handed out byte by byte, each byte once: a call costs the
     * generator a fixed overhead (its state's arithmetic, a digest's arrays) however few bytes it gives, and one
     * call per id was 1.7 % of a publish's allocation and 1.3 % of its CPU. A block serves about thirty ids.
     */
    private static final Lock POOL_LOCK = new ReentrantLock();
    private static final byte[] POOL = new byte[1024];
    private static int poolAt = POOL.length;

    private RandomIds() {
    }

    /** Base62 characters of the time prefix: milliseconds since the epoch fit until the year 8,900. */
    static final int TIME_CHARS = 8;

    /** {@code prefix} + {@code length} base62 characters (24 characters carry ~143 bits of entropy). */
    public static String next(String prefix, int length) {
        byte[] id = withPrefix(prefix, length);
        fillRandom(id, prefix.length());
        return new String(id, StandardCharsets.ISO_8859_1);
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
        byte[] id = withPrefix(prefix, length);
        long rest = epochMillis;
        for (int i = prefix.length() + TIME_CHARS - 1; i >= prefix.length(); i--) {
            id[i] = BASE62[(int) (rest % BASE62.length)];
            rest /= BASE62.length;
        }
        fillRandom(id, prefix.length() + TIME_CHARS);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /**
     * {@code prefix} + {@code length} base62 characters from a fast, non-cryptographic generator: for ids that
     * only tell things apart (request ids in logs), never for anything a caller could gain by guessing.
     */
    public static String nextNonSecret(String prefix, int length) {
        var random = ThreadLocalRandom.current();
        byte[] id = withPrefix(prefix, length);
        for (int i = prefix.length(); i < id.length; i++) {
            id[i] = BASE62[random.nextInt(BASE62.length)];
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** An id's characters, {@code prefix} (ASCII, as every id's is) written and {@code length} more to come. */
    private static byte[] withPrefix(String prefix, int length) {
        byte[] id = new byte[prefix.length() + length];
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c > 0x7f) {
                throw new IllegalArgumentException("an id's prefix is ASCII: " + prefix);
            }
            id[i] = (byte) c;
        }
        return id;
    }

    /** Fills {@code id} from {@code from} on with unbiased base62 characters from the pooled DRBG output. */
    private static void fillRandom(byte[] id, int from) {
        POOL_LOCK.lock();
        try {
            int i = from;
            while (i < id.length) {
                if (poolAt == POOL.length) {
                    RANDOM.nextBytes(POOL);
                    poolAt = 0;
                }
                int v = POOL[poolAt++] & 0xff;
                if (v < UNBIASED_LIMIT) {
                    id[i++] = BASE62[v % BASE62.length];
                }
            }
        } finally {
            POOL_LOCK.unlock();
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

package dev.herald.store.jdbc;

import dev.herald.store.InvalidCursorException;
import dev.herald.store.ListOrder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Opaque page cursors: base64url of the last row's integer key, so callers do not build them by hand. */
final class Cursors {
    private Cursors() {
    }

    static String encode(long key) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Long.toString(key).getBytes(StandardCharsets.US_ASCII));
    }

    /** The key rows must be below; {@link Long#MAX_VALUE} for the first page. @throws InvalidCursorException */
    static long upperBound(Optional<String> cursor) {
        return cursor.isEmpty() ? Long.MAX_VALUE : key(cursor.get());
    }

    /**
     * The key rows must be below (newest first) or above (oldest first); past every row for the first page.
     * @throws InvalidCursorException
     */
    static long bound(Optional<String> cursor, ListOrder order) {
        if (order == ListOrder.NEWEST_FIRST) {
            return upperBound(cursor);
        }
        return cursor.isEmpty() ? 0 : key(cursor.get());
    }

    /** {@code " AND <column> < ? ORDER BY <column> DESC LIMIT ?"} or its ascending twin: fixed text, bound values. */
    static String keyset(String column, ListOrder order) {
        return order == ListOrder.NEWEST_FIRST
                ? " AND " + column + " < ? ORDER BY " + column + " DESC LIMIT ?"
                : " AND " + column + " > ? ORDER BY " + column + " LIMIT ?";
    }

    /**
     * A cursor of two keys, a row's time and its integer key, for listings ordered by time (an endpoint's attempts):
     * base64url of {@code time.key}.
     */
    static String encode(long time, long key) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time + "." + key).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A two-key cursor's time and key; a cursor of one key (a listing's before it was ordered by time) as its key
     * alone, time absent ({@code [-1, key]}): the caller looks the row's time up. @throws InvalidCursorException
     */
    static long[] timeAndKey(String cursor) {
        String text = decoded(cursor);
        int dot = text.indexOf('.');
        if (dot < 0) {
            return new long[] {-1, positive(text)};
        }
        long time = number(text.substring(0, dot));
        if (time < 0) {
            throw new InvalidCursorException("invalid cursor", null);
        }
        return new long[] {time, positive(text.substring(dot + 1))};
    }

    private static long key(String cursor) {
        return positive(decoded(cursor));
    }

    private static String decoded(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("invalid cursor", e);
        }
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidCursorException("invalid cursor", e);
        }
    }

    /** A row's key: a positive number. */
    private static long positive(String text) {
        long key = number(text);
        if (key <= 0) {
            throw new InvalidCursorException("invalid cursor", null);
        }
        return key;
    }
}

package dev.herald.store.jdbc;

import java.util.StringJoiner;

/**
 * Parameter markers for statements whose size depends on the input (multi-row inserts, IN lists).
 * Only {@code ?} markers are generated; values are always bound.
 */
final class Placeholders {
    private Placeholders() {
    }

    /** {@code ?, ?, ?} for {@code count} values. */
    static String list(int count) {
        return repeat("?", count);
    }

    /** {@code row, row, row}: a VALUES row template such as {@code (?, ?, 'pending')} repeated. */
    static String repeat(String row, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one placeholder is needed");
        }
        var joiner = new StringJoiner(", ");
        for (int i = 0; i < count; i++) {
            joiner.add(row);
        }
        return joiner.toString();
    }
}

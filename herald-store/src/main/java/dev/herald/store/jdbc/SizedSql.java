package dev.herald.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A statement whose text has one {@code %s} for a list of varying length (a multi-row VALUES, an IN list): the text
 * for each length is formatted once and kept, for lengths up to {@value #MAX}, instead of once per execution
 * ({@code String.formatted} on the publish and claim paths was 1.6 % of the bench's allocation). An IN list is
 * padded to a power of two by repeating its last item ({@link #padded}, {@link #bindPadded}): a text per length made
 * a statement per claim size, which SQLite's per-connection cache of prepared statements did not keep and prepared
 * again, and which PostgreSQL parsed and planned again until the driver had seen it five times.
 */
final class SizedSql {
    /** The longest IN list a statement takes; an IN list's texts are kept up to this length. */
    static final int MAX = 512;
    /**
     * Rows' texts are kept up to this length. A longer batch is inserted {@value} rows per statement: a text made for
     * each of its lengths (a batch publish of 100 events joined by others in one group commit, say) was formatted and
     * prepared again for every execution (1.8 % of the batch scenario's allocation), and each such text is long.
     */
    static final int KEPT_ROWS = 128;

    private final String template;
    private final String item;
    private final AtomicReferenceArray<String> byLength;

    private SizedSql(String template, String item, int kept) {
        this.template = template;
        this.item = item;
        this.byLength = new AtomicReferenceArray<>(kept + 1);
    }

    /** {@code template} with {@code ?, ?, ?} in place of its {@code %s}. */
    static SizedSql list(String template) {
        return new SizedSql(template, "?", MAX);
    }

    /** {@code template} with {@code row, row, row} in place of its {@code %s}. */
    static SizedSql rows(String template, String row) {
        return new SizedSql(template, row, KEPT_ROWS);
    }

    /** The statement for {@code length} items (at least one). */
    String of(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("a list has at least one item");
        }
        if (length >= byLength.length()) {
            return format(length);
        }
        String sql = byLength.get(length);
        if (sql == null) {
            sql = format(length);
            byLength.set(length, sql); // two threads may both format it: the same text either way
        }
        return sql;
    }

    private String format(int length) {
        return template.formatted(Placeholders.repeat(item, length));
    }

    /** {@code keys} cut into IN lists of at most {@value #MAX}, in order: one statement's list each. */
    static List<List<Long>> inLists(List<Long> keys) {
        return chunks(keys, MAX);
    }

    /** {@code items} cut into runs of at most {@code size}, in order: one statement's rows or values each (none). */
    static <T> List<List<T>> chunks(List<T> items, int size) {
        if (items.isEmpty()) {
            return List.of();
        }
        if (items.size() <= size) {
            return List.of(items);
        }
        var chunks = new ArrayList<List<T>>((items.size() + size - 1) / size);
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }

    /** The statement for the IN list {@code items} (1 to {@value #MAX}): its text for their {@link #padded} length. */
    String forList(List<?> items) {
        return of(padded(items.size()));
    }

    /** The length an IN list of {@code length} items (1 to {@value #MAX}) is padded to: the next power of two. */
    static int padded(int length) {
        if (length < 1 || length > MAX) {
            throw new IllegalArgumentException("an IN list has 1 to " + MAX + " items, not " + length);
        }
        return Integer.bitCount(length) == 1 ? length : Integer.highestOneBit(length) << 1;
    }

    /**
     * Binds {@code keys} from parameter {@code first} on, then the last key again up to {@link #padded} of them (an
     * item repeated in an IN list changes nothing it selects or updates); returns the next parameter's index.
     */
    static int bindPadded(PreparedStatement ps, int first, List<Long> keys) throws SQLException {
        int length = padded(keys.size());
        int p = first;
        for (long key : keys) {
            ps.setLong(p++, key);
        }
        long last = keys.getLast();
        for (int i = keys.size(); i < length; i++) {
            ps.setLong(p++, last);
        }
        return p;
    }
}

package dev.herald.store.jdbc;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A statement whose text has one {@code %s} for a list of varying length (a multi-row VALUES, an IN list): the text
 * for each length is formatted once and kept, for lengths up to {@value #KEPT}, instead of once per execution
 * ({@code String.formatted} on the publish and claim paths was 1.6 % of the bench's allocation).
 */
final class SizedSql {
    /** Longer lists are rare (batches of more than this many rows) and their texts large: those are made each time. */
    private static final int KEPT = 128;

    private final String template;
    private final String item;
    private final AtomicReferenceArray<String> byLength = new AtomicReferenceArray<>(KEPT + 1);

    private SizedSql(String template, String item) {
        this.template = template;
        this.item = item;
    }

    /** {@code template} with {@code ?, ?, ?} in place of its {@code %s}. */
    static SizedSql list(String template) {
        return new SizedSql(template, "?");
    }

    /** {@code template} with {@code row, row, row} in place of its {@code %s}. */
    static SizedSql rows(String template, String row) {
        return new SizedSql(template, row);
    }

    /** The statement for {@code length} items (at least one). */
    String of(int length) {
        if (length < 1 || length > KEPT) {
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
}

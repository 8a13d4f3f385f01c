package dev.herald.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Binds a column's long values so that a value repeating from one bound parameter to the next is one boxed
 * {@link Long}: SQLite's driver boxes every bound long and keeps the box until the statement runs, and a
 * fan-out's rows repeat their account, event, times and status. A box is made only when the value changes.
 * PostgreSQL's driver reads the value out of the box as {@code setLong} would. Not thread-safe: one per statement
 * being bound.
 */
final class SharedLongs {
    private long last;
    private Long box;

    /** Binds {@code value} at {@code index}, sharing the box of the value bound before it when they are equal. */
    void bind(PreparedStatement ps, int index, long value) throws SQLException {
        if (box == null || last != value) {
            last = value;
            box = value;
        }
        ps.setObject(index, box);
    }

    /** Binds a number, or NULL when empty, as {@link Columns#setInt} does. */
    void bind(PreparedStatement ps, int index, OptionalInt value) throws SQLException {
        if (value.isPresent()) {
            bind(ps, index, value.getAsInt());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    /** Binds a time as its epoch milliseconds, as {@link Columns#setInstant} does, or NULL when empty. */
    void bind(PreparedStatement ps, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            bind(ps, index, Columns.millis(value.get()));
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }
}

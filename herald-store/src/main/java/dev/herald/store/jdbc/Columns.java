package dev.herald.store.jdbc;

import dev.herald.core.event.EncodedPayload;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/** Binding and reading the column types Herald uses: epoch-millisecond times and nullable values. */
final class Columns {
    private Columns() {
    }

    static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    static void setInstant(PreparedStatement ps, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.get().toEpochMilli());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    static void setLong(PreparedStatement ps, int index, Optional<Long> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.get());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    static void setInt(PreparedStatement ps, int index, OptionalInt value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.getAsInt());
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }

    static void setText(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }

    static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    static OptionalInt optionalInt(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact(value));
    }

    static Optional<String> optionalText(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    /**
     * A text column (an event's payload) as its UTF-8 bytes, as both drivers hold it: SQLite's blob accessor and
     * PostgreSQL's byte accessor on a non-binary column give the text's bytes without making a string of them
     * first. Whoever needs the string decodes it from the bytes, once.
     */
    static EncodedPayload utf8Text(ResultSet rs, String column) throws SQLException {
        return EncodedPayload.ofUtf8(rs.getBytes(column));
    }

    /**
     * A text column as a string decoded from its UTF-8 bytes (as {@link #utf8Text} reads them), or null. SQLite's
     * driver makes each string it is asked for through a direct buffer over the value and a copy of that: a claim
     * reads six text columns per delivery, and those buffers were a twenty-fifth of what fan-out 10 allocated.
     */
    static String text(ResultSet rs, String column) throws SQLException {
        byte[] utf8 = rs.getBytes(column);
        return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    /** Drops sub-millisecond precision so returned values equal what a later read returns. */
    static Instant truncated(Instant instant) {
        return Instant.ofEpochMilli(instant.toEpochMilli());
    }
}

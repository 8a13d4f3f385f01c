package dev.herald.store.jdbc;

import dev.herald.core.WireName;
import dev.herald.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * A text column holding one of an enum's wire names ({@code pending}, {@code half_open}), read as the constant
 * straight from the column's UTF-8 bytes: no string is made of a name that is only compared. Every claimed
 * delivery reads its state and format this way, and every batch of attempts the status and circuit of its
 * endpoints; SQLite's driver makes each string through a direct buffer over the value, a copy of it and the string
 * (a twentieth of fan-out 1's allocation).
 */
final class WireColumn<E extends Enum<E> & WireName> {
    private final E[] values;
    private final byte[][] names;
    /** What the column holds, for the error about a value no constant has: "delivery state". */
    private final String what;

    private WireColumn(E[] values, String what) {
        this.values = values;
        this.names = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].wireName().getBytes(StandardCharsets.UTF_8);
        }
        this.what = what;
    }

    static <E extends Enum<E> & WireName> WireColumn<E> of(Class<E> type, String what) {
        return new WireColumn<>(type.getEnumConstants(), what);
    }

    /** The constant named in {@code column}; a StoreException for a NULL or a name no constant has. */
    E read(ResultSet rs, String column) throws SQLException {
        return named(rs.getBytes(column));
    }

    /** As {@link #read(ResultSet, String)}, the column given by its position. */
    E read(ResultSet rs, int column) throws SQLException {
        return named(rs.getBytes(column));
    }

    private E named(byte[] utf8) {
        if (utf8 != null) {
            for (int i = 0; i < names.length; i++) {
                if (Arrays.equals(names[i], utf8)) {
                    return values[i];
                }
            }
        }
        throw new StoreException("store: unknown " + what + " "
                + (utf8 == null ? "NULL" : new String(utf8, StandardCharsets.UTF_8)));
    }
}

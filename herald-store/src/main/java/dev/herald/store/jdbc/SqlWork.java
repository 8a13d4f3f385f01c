package dev.herald.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of database work on a borrowed connection; the caller owns the connection and its transaction. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}

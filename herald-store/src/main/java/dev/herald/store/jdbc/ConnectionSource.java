package dev.herald.store.jdbc;

import java.sql.SQLException;

/**
 * Lends connections for one unit of work each. Connections come with auto-commit off; the shared JDBC code
 * commits or rolls back. A dialect decides how readers and the writer are pooled (SQLite allows one writer).
 */
public interface ConnectionSource extends AutoCloseable {
    /** Runs {@code work} on a connection that may only read. */
    <T> T withReader(SqlWork<T> work) throws SQLException;

    /** Runs {@code work} on a connection that may write. */
    <T> T withWriter(SqlWork<T> work) throws SQLException;

    @Override
    void close();
}

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

    /**
     * Runs {@code work} in a write transaction and commits it: what it wrote is durable when this returns, and
     * nothing of it remains when it throws. A source may run the work of several callers in one transaction
     * (group commit) as long as each one's work is undone alone when it fails.
     */
    default <T> T inWriteTransaction(SqlWork<T> work) throws SQLException {
        return withWriter(c -> Transactions.inTransaction(c, work));
    }

    @Override
    void close();
}

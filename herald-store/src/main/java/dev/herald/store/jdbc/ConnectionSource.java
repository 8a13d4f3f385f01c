package dev.herald.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Lends connections for one unit of work each. Reads run on a connection the shared JDBC code commits or rolls
 * back; writes run in a transaction the source commits, so that it may commit several callers' writes at once.
 * A dialect decides how readers and the writer are pooled (SQLite allows one writer).
 */
public interface ConnectionSource extends AutoCloseable {
    /** Runs {@code work} on a connection that may only read. */
    <T> T withReader(SqlWork<T> work) throws SQLException;

    /**
     * Runs {@code work} in a write transaction and commits it: what it wrote is durable when this returns, and
     * nothing of it remains when it throws. A source may run the work of several callers in one transaction
     * (group commit) as long as each one's work is undone alone when it fails.
     */
    <T> T inWriteTransaction(SqlWork<T> work) throws SQLException;

    /** Runs {@code work} on {@code c} as one transaction: committed when it returns, rolled back when it throws. */
    static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        if (c.getAutoCommit()) {
            c.setAutoCommit(false);
        }
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    @Override
    void close();
}

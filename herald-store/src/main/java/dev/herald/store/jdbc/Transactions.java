package dev.herald.store.jdbc;

import dev.herald.store.StoreException;
import dev.herald.store.StoreUnavailableException;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Runs work in a transaction and wraps every {@link SQLException} once, with what was being done. */
final class Transactions {
    private final ConnectionSource connections;

    Transactions(ConnectionSource connections) {
        this.connections = connections;
    }

    <T> T read(String what, SqlWork<T> work) {
        try {
            return connections.withReader(c -> inTransaction(c, work));
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    <T> T write(String what, SqlWork<T> work) {
        try {
            return connections.withWriter(c -> inTransaction(c, work));
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
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

    static StoreException translate(String what, SQLException e) {
        if (isUnavailable(e)) {
            return new StoreUnavailableException("store: cannot " + what + ", database unavailable: " + e.getMessage(), e);
        }
        return new StoreException("store: cannot " + what + ": " + e.getMessage(), e);
    }

    /** Connection-level failures (refused, pool exhausted, server shutting down) may succeed when retried. */
    private static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }
}

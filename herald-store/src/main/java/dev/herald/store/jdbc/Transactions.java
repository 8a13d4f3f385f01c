package dev.herald.store.jdbc;

import dev.herald.store.StoreException;
import dev.herald.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs work in a transaction and wraps every {@link SQLException} once, with what was being done. A write the
 * database aborted to break a deadlock or a serialization conflict (PostgreSQL: two transactions updating the same
 * deliveries and endpoint rows in different orders, say an endpoint being paused while its attempt results are
 * written) is run again from the start, a few times, after a short random pause: the work is only SQL, so a
 * rolled-back try left nothing behind.
 */
final class Transactions {
    /** Tries of one write in all when the database keeps aborting it as a deadlock victim. */
    static final int CONFLICT_TRIES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    private final ConnectionSource connections;
    private final OutageLog outage;

    Transactions(ConnectionSource connections) {
        this(connections, "store");
    }

    Transactions(ConnectionSource connections, String kind) {
        this.connections = connections;
        this.outage = new OutageLog(kind);
    }

    <T> T read(String what, SqlWork<T> work) {
        try {
            T result = connections.withReader(c -> ConnectionSource.inTransaction(c, work));
            outage.answered();
            return result;
        } catch (SQLException e) {
            throw observed(translate(what, e));
        }
    }

    <T> T write(String what, SqlWork<T> work) {
        for (int tryNumber = 1; ; tryNumber++) {
            try {
                T result = connections.inWriteTransaction(work);
                outage.answered();
                return result;
            } catch (SQLException e) {
                if (!isConflict(e) || tryNumber >= CONFLICT_TRIES) {
                    throw observed(translate(what, e));
                }
                LOG.info("store: {} met a concurrent write ({}, try {} of {}); running it again", what,
                        e.getSQLState(), tryNumber, CONFLICT_TRIES);
                pauseBeforeRetry(tryNumber);
            }
        }
    }

    /** Deadlock victim (40P01) or serialization failure (40001): nothing was written, the work may run again. */
    static boolean isConflict(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static void pauseBeforeRetry(int tryNumber) {
        // random, so the two transactions that met do not meet again at once
        long millis = ThreadLocalRandom.current().nextLong(1, 5L << tryNumber);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Notes the start of an outage (logged once); returns {@code e} to throw. */
    private StoreException observed(StoreException e) {
        if (e instanceof StoreUnavailableException) {
            outage.unavailable(e.getCause() != null ? e.getCause() : e);
        }
        return e;
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

package dev.herald.store.sqlite;

import dev.herald.store.jdbc.DelegatingConnection;
import dev.herald.store.jdbc.DelegatingPreparedStatement;
import dev.herald.store.jdbc.StatementCounter;
import dev.herald.store.jdbc.StatementCounter.Kind;
import org.sqlite.core.CoreResultSet;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a connection's prepared statements for reuse. sqlite-jdbc compiles the SQL text again on every
 * {@code prepareStatement} call, which took 8 % of Herald's CPU under load; PostgreSQL's driver caches on its
 * own. Callers keep writing {@code try (var ps = c.prepareStatement(sql))}: closing a cached statement resets
 * it (ending its read of the database) and clears its parameters instead of discarding it.
 *
 * <p>A connection is used by one thread at a time (the writer behind its lock, a reader taken from the pool),
 * so nothing here is synchronized. A statement asked for while its cached copy is still open (the same SQL
 * nested in one unit of work) is prepared afresh and really closed.
 */
final class StatementCache {
    /** Distinct SQL texts kept per connection; the least recently used beyond this is closed. */
    static final int CAPACITY = 128;

    private StatementCache() {
    }

    static Connection wrap(Connection connection) {
        return wrap(connection, StatementCounter.create());
    }

    /** As above; executions, commits, rollbacks and savepoints through the connection are counted in {@code counter}. */
    static Connection wrap(Connection connection, StatementCounter counter) {
        return new CachingConnection(connection, counter);
    }

    private static final class CachingConnection extends DelegatingConnection {
        private final Map<String, Cached> statements = new LinkedHashMap<>(32, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                if (size() > CAPACITY) {
                    eldest.getValue().evict();
                    return true;
                }
                return false;
            }
        };

        private final StatementCounter counter;

        CachingConnection(Connection target, StatementCounter counter) {
            super(target);
            this.counter = counter;
        }

        @Override
        public PreparedStatement prepareStatement(String sql) throws SQLException {
            Cached cached = statements.get(sql);
            if (cached == null) {
                cached = new Cached(this, sql, target.prepareStatement(sql));
                statements.put(sql, cached);
            } else if (cached.inUse) {
                return counter.countingPrepared(target.prepareStatement(sql));
            }
            cached.inUse = true;
            return cached;
        }

        @Override
        public void close() throws SQLException {
            closeStatements();
            target.close();
        }

        @Override
        public String toString() {
            return "cached statements over " + target;
        }

        @Override
        protected void executing(Kind kind) {
            counter.count(kind);
        }

        /** A statement outside the cache, its executions counted. */
        @Override
        protected Statement created(Statement statement) {
            return counter.countingStatement(statement);
        }

        @Override
        protected PreparedStatement prepared(PreparedStatement statement) {
            return counter.countingPrepared(statement);
        }

        @Override
        protected CallableStatement callable(CallableStatement statement) {
            return (CallableStatement) counter.countingStatement(statement);
        }

        void forget(Cached cached) {
            statements.remove(cached.sql, cached);
        }

        private void closeStatements() {
            for (Cached cached : statements.values()) {
                cached.evict();
            }
            statements.clear();
        }
    }

    /** One cached statement; its close() hands it back. */
    private static final class Cached extends DelegatingPreparedStatement {
        final CachingConnection owner;
        final String sql;
        boolean inUse;
        boolean evicted;
        /**
         * The driver's result set of this statement, the same object at every run, and the column names it read at
         * the first; empty until a query has run.
         */
        private CoreResultSet results;
        private String[] columnNames;

        Cached(CachingConnection owner, String sql, PreparedStatement target) {
            super(target);
            this.owner = owner;
            this.sql = sql;
        }

        @Override
        protected PreparedStatement open() throws SQLException {
            if (!inUse) {
                throw new SQLException("statement is closed");
            }
            return target;
        }

        @Override
        protected void executing(Kind kind) {
            owner.counter.count(kind);
        }

        /**
         * The driver reads the result's column names from SQLite at every run of a query, a new string for each
         * (its result set forgets them as each run begins), though a prepared statement's columns never change: 4 %
         * of what a delivery allocated. After the first run the query runs as {@code execute()} and its names are
         * handed back to the result set before it is asked for, which then takes them as read. (The store's
         * connections do not ask for generated keys, so {@code execute()} does no more than a query's run.)
         */
        @Override
        public ResultSet executeQuery() throws SQLException {
            if (columnNames == null) {
                ResultSet result = super.executeQuery();
                if (result instanceof CoreResultSet core) {
                    results = core;
                    columnNames = core.colsMeta;
                }
                return result;
            }
            executing(Kind.QUERY);
            PreparedStatement statement = open();
            if (!statement.execute()) {
                throw new SQLException("Query does not return results");
            }
            results.colsMeta = columnNames;
            return statement.getResultSet();
        }

        /**
         * The driver boxes every bound long with {@code new Long}, kept until the statement runs; one from -128 to 127
         * (counts, flags, attempt numbers) is bound as the JDK's shared box instead, as the driver binds any
         * {@code Long}.
         */
        @Override
        public void setLong(int index, long value) throws SQLException {
            open().setObject(index, Long.valueOf(value));
        }

        /** As {@link #setLong}: the driver's {@code new Integer} for every int. */
        @Override
        public void setInt(int index, int value) throws SQLException {
            open().setObject(index, Integer.valueOf(value));
        }

        @Override
        public void close() {
            release();
        }

        @Override
        public boolean isClosed() throws SQLException {
            return !inUse || target.isClosed();
        }

        @Override
        public String toString() {
            return "cached " + target;
        }

        /** Resets the statement so it holds no read snapshot, and forgets its parameters and batch. */
        private void release() {
            if (!inUse) {
                return;
            }
            inUse = false;
            try {
                ((CoreStatement) target).pointer.safeRunInt(DB::reset);
                target.clearParameters();
                target.clearBatch();
            } catch (SQLException | RuntimeException e) {
                owner.forget(this);
                evicted = true;
            }
            if (evicted) {
                closeQuietly();
            }
        }

        void evict() {
            evicted = true;
            if (!inUse) {
                closeQuietly();
            }
        }

        private void closeQuietly() {
            try {
                target.close();
            } catch (SQLException e) {
                // The statement is unusable either way; closing the connection frees it at the latest.
            }
        }
    }
}

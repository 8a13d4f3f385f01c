package dev.herald.store.sqlite;

import dev.herald.store.jdbc.ConnectionSource;
import dev.herald.store.jdbc.SqlWork;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite allows one writer at a time, so all writes go through one connection behind a lock (waiting on a
 * Java lock is cheaper and fairer than SQLite's busy retries); a few reader connections run beside it,
 * which WAL lets read without blocking the writer.
 */
final class SqliteConnections implements ConnectionSource {
    private static final int READERS = 4;
    private static final int READER_CACHE_KIB = 8 * 1024;
    private static final long READER_WAIT_SECONDS = 30;

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final List<Connection> all;

    private SqliteConnections(Connection writer, List<Connection> readerConnections) {
        this.writer = writer;
        this.readers = new ArrayBlockingQueue<>(readerConnections.size(), false, readerConnections);
        this.all = new ArrayList<>(readerConnections);
        this.all.add(writer);
    }

    static SqliteConnections open(String url, SQLiteConfig config) throws SQLException {
        var opened = new ArrayList<Connection>();
        try {
            Connection writer = connect(url, config);
            opened.add(writer);
            var readers = new ArrayList<Connection>();
            for (int i = 0; i < READERS; i++) {
                Connection reader = connect(url, config);
                opened.add(reader);
                try (var st = reader.createStatement()) {
                    // A guard: a write through a reader would bypass the write lock.
                    st.execute("PRAGMA query_only = true");
                    // Readers mostly read through the memory map; the writer's large page cache is not needed.
                    st.execute("PRAGMA cache_size = -" + READER_CACHE_KIB);
                }
                readers.add(reader);
            }
            return new SqliteConnections(writer, readers);
        } catch (SQLException e) {
            for (var c : opened) {
                try {
                    c.close();
                } catch (SQLException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
    }

    private static Connection connect(String url, SQLiteConfig config) throws SQLException {
        Connection c = StatementCache.wrap(DriverManager.getConnection(url, config.toProperties()));
        c.setAutoCommit(false);
        return c;
    }

    @Override
    public <T> T withReader(SqlWork<T> work) throws SQLException {
        Connection c;
        try {
            c = readers.poll(READER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a reader connection", e);
        }
        if (c == null) {
            throw new SQLTransientConnectionException("no SQLite reader connection free after "
                    + READER_WAIT_SECONDS + " s");
        }
        try {
            return work.run(c);
        } finally {
            readers.add(c);
        }
    }

    @Override
    public <T> T withWriter(SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            if (writer.isClosed()) {
                throw new SQLTransientConnectionException("the SQLite store is closed");
            }
            return work.run(writer);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            for (var c : all) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // Closing is best effort: the WAL is already durable at every commit.
                }
            }
        } finally {
            writeLock.unlock();
        }
    }
}

package dev.herald.store.sqlite;

import dev.herald.store.jdbc.ConnectionSource;
import dev.herald.store.jdbc.SqlWork;
import dev.herald.store.jdbc.StatementCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SQLite allows one writer at a time, so all writes go through one connection behind a lock (waiting on a
 * Java lock is cheaper and fairer than SQLite's busy retries); a few reader connections run beside it,
 * which WAL lets read without blocking the writer. Write transactions that wait for the lock at the same
 * moment are committed together (see {@link #inWriteTransaction}). The WAL is copied back into the database
 * file by a background thread on a connection of its own: left to SQLite, the commit that fills the WAL does
 * it, and every writer waits while the database file is written and synced.
 */
final class SqliteConnections implements ConnectionSource {
    private static final int READERS = 4;
    private static final int READER_CACHE_KIB = 8 * 1024;
    private static final long READER_WAIT_SECONDS = 30;
    /** Most callers' work committed in one transaction. */
    static final int MAX_GROUP = 32;
    private static final long CHECKPOINT_EVERY_MILLIS = 200;
    /**
     * WAL pages after which a commit checkpoints by itself after all (SQLite's default is 1,000): only when the
     * background checkpoints fall far behind, so the WAL cannot grow without bound.
     */
    private static final int FALLBACK_CHECKPOINT_PAGES = 25_000;
    private static final Logger LOG = LoggerFactory.getLogger(SqliteConnections.class);

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final List<Connection> all;
    /** Write work waiting for the next group; taken only by the holder of the write lock. */
    private final ConcurrentLinkedQueue<QueuedWrite<?>> queuedWrites = new ConcurrentLinkedQueue<>();
    /** Write transactions committed (or tried), each holding one group of callers' work. */
    private final LongAdder groups = new LongAdder();
    /** Time the write connection spent running groups, commits included (nanoseconds). */
    private final LongAdder busyNanos = new LongAdder();

    private final Connection checkpointing;
    private final Thread checkpointer;
    private volatile boolean open = true;

    private SqliteConnections(Connection writer, List<Connection> readerConnections, Connection checkpointing) {
        this.writer = writer;
        this.readers = new ArrayBlockingQueue<>(readerConnections.size(), false, readerConnections);
        this.checkpointing = checkpointing;
        this.all = new ArrayList<>(readerConnections);
        this.all.add(checkpointing);
        this.all.add(writer);
        this.checkpointer = Thread.ofPlatform().name("herald-sqlite-checkpointer").daemon()
                .start(this::checkpointLoop);
    }

    static SqliteConnections open(String url, SQLiteConfig config) throws SQLException {
        return open(url, config, StatementCounter.create());
    }

    /** As above, counting what the writer and the readers send to the database in {@code counter}. */
    static SqliteConnections open(String url, SQLiteConfig config, StatementCounter counter) throws SQLException {
        var opened = new ArrayList<Connection>();
        try {
            Connection writer = connect(url, config, counter);
            opened.add(writer);
            try (var st = writer.createStatement()) {
                st.execute("PRAGMA wal_autocheckpoint = " + FALLBACK_CHECKPOINT_PAGES);
            }
            // Auto-commit on: a checkpoint cannot run inside a transaction.
            Connection checkpointing = DriverManager.getConnection(url, config.toProperties());
            opened.add(checkpointing);
            var readers = new ArrayList<Connection>();
            for (int i = 0; i < READERS; i++) {
                Connection reader = connect(url, config, counter);
                opened.add(reader);
                try (var st = reader.createStatement()) {
                    // A guard: a write through a reader would bypass the write lock.
                    st.execute("PRAGMA query_only = true");
                    // No memory map: while the writer grows the file, a mapped reader unmaps and maps the file
                    // again at the start of its next read, and the page-table teardown interrupts every core
                    // (under load that made each endpoint-cache reload cost about 0.6 ms). Readers read their
                    // few pages with pread into a cache of their own.
                    st.execute("PRAGMA mmap_size = 0");
                    st.execute("PRAGMA cache_size = -" + READER_CACHE_KIB);
                }
                readers.add(reader);
            }
            return new SqliteConnections(writer, readers, checkpointing);
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

    private static Connection connect(String url, SQLiteConfig config, StatementCounter counter) throws SQLException {
        Connection c = StatementCache.wrap(DriverManager.getConnection(url, config.toProperties()), counter);
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

    /**
     * Group commit. The caller queues its work and, when the write lock is free, takes it and runs everything
     * queued by then in one transaction, each caller's work inside a savepoint of its own (a failure undoes that
     * work alone), and commits once; otherwise it waits until the holder has run its work or hands it the lead.
     * One commit and one fsync then serve the publisher, the attempt writer and the claimers that wrote at the
     * same moment: under load that is much of SQLite's cost per delivery. Callers wait for their own work, not
     * for the lock, so a caller whose work is committed returns at once however busy the writer stays.
     */
    @Override
    public <T> T inWriteTransaction(SqlWork<T> work) throws SQLException {
        if (writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a write transaction cannot start inside another one");
        }
        var mine = new QueuedWrite<>(work, Thread.currentThread());
        queuedWrites.add(mine);
        boolean interrupted = false;
        while (!mine.done) {
            if (writeLock.tryLock()) {
                try {
                    // Work that is not done is still queued (only a lock holder takes work, and finishes all it takes).
                    while (!mine.done) {
                        runGroup();
                    }
                } finally {
                    writeLock.unlock();
                }
                // Work queued while this group ran: its caller may be waiting, so it leads the next group.
                QueuedWrite<?> next = queuedWrites.peek();
                if (next != null) {
                    LockSupport.unpark(next.caller);
                }
            } else {
                LockSupport.park(this);
                // The work may be running in someone's group: it cannot be abandoned, so the interrupt waits.
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return mine.result();
    }

    /** Write transactions run so far, each holding one or more callers' work. */
    long groups() {
        return groups.sum();
    }

    /**
     * Publishes the write connection's load: {@code herald_store_write_transactions_total} (group commits) and
     * {@code herald_store_writer_busy_seconds_total} (time spent running them, commits included). All writes go
     * through that one connection, so its busy share of an interval is how close the store is to its bound: near
     * 100 % the writer never waits for work, and more load only makes each group larger.
     */
    void bindTo(MeterRegistry registry, String store) {
        FunctionCounter.builder("herald.store.write.transactions", groups, LongAdder::sum)
                .description("Write transactions on the store's one write connection, each committing a group of "
                        + "callers' work")
                .tag("store", store)
                .register(registry);
        FunctionCounter.builder("herald.store.writer.busy", busyNanos, nanos -> nanos.sum() / 1e9)
                .description("Time the store's one write connection spent running write transactions, commits "
                        + "included")
                .baseUnit("seconds")
                .tag("store", store)
                .register(registry);
    }

    /** Callers whose write work waits for a group. */
    int waitingWriters() {
        return queuedWrites.size();
    }

    /** Runs and commits up to {@value #MAX_GROUP} queued works. Called under the write lock. */
    private void runGroup() {
        long started = System.nanoTime();
        try {
            runQueued();
        } finally {
            busyNanos.add(System.nanoTime() - started);
        }
    }

    private void runQueued() {
        groups.increment();
        var group = new ArrayList<QueuedWrite<?>>();
        for (QueuedWrite<?> next; group.size() < MAX_GROUP && (next = queuedWrites.poll()) != null; ) {
            group.add(next);
        }
        try {
            if (writer.isClosed()) {
                throw new SQLTransientConnectionException("the SQLite store is closed");
            }
            if (group.size() == 1) {
                group.getFirst().run(writer);
            } else {
                for (var write : group) {
                    runInSavepoint(write);
                }
            }
            writer.commit();
        } catch (Throwable e) {
            // Whatever went wrong (Errors too), every caller in the group must be told, or it would wait forever.
            try {
                writer.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            for (var write : group) {
                write.failUnlessFailed(e);
            }
            return;
        }
        for (var write : group) {
            write.finish();
        }
    }

    /** Runs one work of a group; when it fails, undoes it alone and keeps its failure for its caller. */
    private void runInSavepoint(QueuedWrite<?> write) throws SQLException {
        Savepoint before = writer.setSavepoint();
        boolean ran = false;
        try {
            write.run(writer);
            ran = true;
        } catch (Throwable e) {
            write.failure = e;
        }
        if (!ran) {
            writer.rollback(before);
        }
        writer.releaseSavepoint(before);
    }

    /** One caller's write work and, once its group ran, its result or failure. Guarded by the write lock. */
    private static final class QueuedWrite<T> {
        private final SqlWork<T> work;
        /** Parked until the work is done or it may lead the next group. */
        final Thread caller;
        private T result;
        private Throwable failure;
        /** Committed, or failed: either way the caller may return. Written under the lock, read by its caller. */
        volatile boolean done;

        QueuedWrite(SqlWork<T> work, Thread caller) {
            this.work = work;
            this.caller = caller;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
        }

        void failUnlessFailed(Throwable groupFailure) {
            if (failure == null) {
                failure = groupFailure;
            }
            finish();
        }

        void finish() {
            done = true;
            LockSupport.unpark(caller);
        }

        T result() throws SQLException {
            return switch (failure) {
                case null -> result;
                case SQLException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException("write failed", failure);
            };
        }
    }

    /** Copies what the WAL gained into the database file, a few times a second, without blocking writers. */
    private void checkpointLoop() {
        while (open) {
            try {
                Thread.sleep(CHECKPOINT_EVERY_MILLIS);
            } catch (InterruptedException e) {
                if (!open) {
                    return;
                }
            }
            try (var st = checkpointing.createStatement(); var rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
            } catch (SQLException e) {
                if (open) {
                    LOG.warn("SqliteConnections: background checkpoint failed ({}); will try again. "
                            + "Will keep running.", e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        checkpointer.interrupt();
        try {
            checkpointer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

package dev.herald.store.sqlite;

import dev.herald.store.jdbc.SqlWork;
import dev.herald.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteConnectionsTest {
    @TempDir
    Path dir;
    private SqliteConnections connections;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        connections = SqliteConnections.open("jdbc:sqlite:" + dir.resolve("group.db"), config);
        connections.inWriteTransaction(c -> {
            try (var st = c.createStatement()) {
                st.execute("CREATE TABLE t (v TEXT PRIMARY KEY)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        release.countDown();
        threads.shutdownNow();
        connections.close();
    }

    @Test
    void writesQueuedWhileAnotherCommitsAreCommittedTogether() throws Exception {
        long before = connections.groups();
        Future<Object> holder = holdTheWriteLock();
        var writes = new ArrayList<Future<Object>>();
        for (int i = 0; i < 10; i++) {
            String value = "w" + i;
            writes.add(threads.submit(() -> connections.inWriteTransaction(c -> insert(c, value))));
        }
        awaitWaitingWriters(10);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        for (var write : writes) {
            write.get(10, TimeUnit.SECONDS);
        }

        assertThat(values()).containsExactlyInAnyOrder("holder", "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7",
                "w8", "w9");
        assertThat(connections.groups() - before).as("the holder's transaction, then one for the ten").isEqualTo(2);
    }

    @Test
    void theWriteConnectionsTransactionsAndBusyTimeArePublished() throws Exception {
        var registry = new SimpleMeterRegistry();
        connections.bindTo(registry, "sqlite");
        double busyBefore = registry.get("herald.store.writer.busy").tag("store", "sqlite").functionCounter().count();
        double transactionsBefore = registry.get("herald.store.write.transactions").tag("store", "sqlite")
                .functionCounter().count();

        connections.inWriteTransaction(c -> {
            insert(c, "slow");
            // busy, however the writer spends the time
            long until = System.nanoTime() + Duration.ofMillis(60).toNanos();
            for (long left; (left = until - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
            return null;
        });
        Thread.sleep(1_000); // idle: not counted
        connections.inWriteTransaction(c -> insert(c, "quick"));

        double busy = registry.get("herald.store.writer.busy").tag("store", "sqlite").functionCounter().count()
                - busyBefore;
        assertThat(busy).as("seconds the two transactions ran").isGreaterThanOrEqualTo(0.06).isLessThan(1.0);
        assertThat(registry.get("herald.store.write.transactions").tag("store", "sqlite").functionCounter().count()
                - transactionsBefore).isEqualTo(2);
        assertThat(registry.get("herald.store.writer.busy").functionCounter().getId().getBaseUnit())
                .isEqualTo("seconds");
    }

    @Test
    void aFailingWriteIsUndoneAloneAndTheOthersInItsGroupAreCommitted() throws Exception {
        Future<Object> holder = holdTheWriteLock();
        Future<Object> first = queueWrite(c -> insert(c, "first"));
        Future<Object> failing = queueWrite(c -> {
            insert(c, "undone");
            insert(c, "first"); // a duplicate key: this work fails after writing a row
            return null;
        });
        Future<Object> last = queueWrite(c -> insert(c, "last"));
        release.countDown();

        holder.get(10, TimeUnit.SECONDS);
        first.get(10, TimeUnit.SECONDS);
        last.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(SQLException.class)
                .hasMessageContaining("UNIQUE");
        assertThat(values()).containsExactlyInAnyOrder("holder", "first", "last");
    }

    @Test
    void aWorkThatThrowsAnythingFailsOnlyItsOwnCaller() throws Exception {
        Future<Object> holder = holdTheWriteLock();
        Future<Object> broken = queueWrite(c -> {
            insert(c, "undone");
            throw new StackOverflowError("simulated");
        });
        Future<Object> next = queueWrite(c -> insert(c, "next"));
        release.countDown();

        holder.get(10, TimeUnit.SECONDS);
        next.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> broken.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(StackOverflowError.class);
        assertThat(values()).containsExactlyInAnyOrder("holder", "next");
    }

    @Test
    void readersDoNotMapTheFileWhichTheWriterKeepsGrowing() throws Exception {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(1 << 20));
        var mapped = SqliteConnections.open("jdbc:sqlite:" + dir.resolve("mapped.db"), config);
        try {
            Long writer = mapped.inWriteTransaction(c -> pragma(c, "mmap_size"));
            assertThat(writer).isEqualTo(1L << 20);
            for (int i = 0; i < 4; i++) {
                Long reader = mapped.withReader(c -> pragma(c, "mmap_size"));
                assertThat(reader).isZero();
            }
        } finally {
            mapped.close();
        }
    }

    /**
     * The store's own settings, read back from SQLite: FULL sync (2), and temporary storage in memory (2). Group
     * commit gives every caller a savepoint; with temp_store on disk each statement's savepoint journal went to a
     * temporary file created, written and deleted under the write lock.
     */
    @Test
    void theStoreSyncsEveryCommitAndKeepsSavepointJournalsInMemory() throws Exception {
        var store = SqliteConnections.open("jdbc:sqlite:" + dir.resolve("store.db"), SqliteStore.config());
        try {
            Long sync = store.inWriteTransaction(c -> pragma(c, "synchronous"));
            Long writerTemp = store.inWriteTransaction(c -> pragma(c, "temp_store"));
            Long readerTemp = store.withReader(c -> pragma(c, "temp_store"));

            assertThat(sync).isEqualTo(2L);
            assertThat(writerTemp).isEqualTo(2L);
            assertThat(readerTemp).isEqualTo(2L);
        } finally {
            store.close();
        }
    }

    private static Long pragma(java.sql.Connection c, String name) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aWriteCannotStartInsideAnother() {
        assertThatThrownBy(() -> connections.inWriteTransaction(c -> connections.inWriteTransaction(inner -> null)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theWalIsCopiedIntoTheDatabaseFileInTheBackground() throws Exception {
        Path file = dir.resolve("group.db");
        // The table created before this test is in the WAL: were its pages copied during the big write below,
        // the file would grow for that reason alone. Copy them first.
        try (var own = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); var st = own.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(FULL)");
        }
        long before = Files.size(file);
        String fourKib = "x".repeat(4096);
        connections.inWriteTransaction(c -> {
            for (int i = 0; i < 2_000; i++) { // ~8 MB: far below the WAL size at which a commit checkpoints
                insert(c, i + fourKib);
            }
            return null;
        });
        assertThat(Files.size(file)).as("written to the WAL only").isEqualTo(before);

        Await.until("the database file has the rows", Duration.ofSeconds(10),
                () -> sizeOf(file) >= before + 8_000_000);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A write that holds the lock (inside its transaction) until {@link #release}. */
    private Future<Object> holdTheWriteLock() throws InterruptedException {
        var holding = new CountDownLatch(1);
        Future<Object> holder = threads.submit(() -> connections.inWriteTransaction(c -> {
            insert(c, "holder");
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    /** Starts a write behind the holder and returns once it waits in the queue, so writes queue in call order. */
    private Future<Object> queueWrite(SqlWork<Object> work) throws InterruptedException {
        int queued = connections.waitingWriters() + 1;
        Future<Object> write = threads.submit(() -> connections.inWriteTransaction(work));
        awaitWaitingWriters(queued);
        return write;
    }

    private void awaitWaitingWriters(int count) {
        Await.until(count + " writers waiting", Duration.ofSeconds(10), () -> connections.waitingWriters() >= count);
    }

    private static Object insert(Connection c, String value) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
            ps.setString(1, value);
            ps.executeUpdate();
        }
        return null;
    }

    private List<String> values() throws SQLException {
        return connections.withReader(c -> {
            var values = new ArrayList<String>();
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT v FROM t")) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        });
    }
}

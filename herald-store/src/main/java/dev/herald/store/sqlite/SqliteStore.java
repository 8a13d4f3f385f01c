package dev.herald.store.sqlite;

import dev.herald.store.Store;
import dev.herald.store.StoreException;
import dev.herald.store.jdbc.Dialect;
import dev.herald.store.jdbc.JdbcStore;
import dev.herald.store.jdbc.Migrations;
import dev.herald.store.jdbc.StatementCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/** The embedded store: one SQLite file {@code herald.db} in the data directory, migrated on open. */
public final class SqliteStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    private static final String FILE_NAME = "herald.db";
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /** Page cache of each connection (the readers lower theirs, see SqliteConnections). */
    private static final int WRITER_CACHE_KIB = 64 * 1024;
    private static final long MMAP_BYTES = 256L * 1024 * 1024;
    private static final String GIVE_BACK = """
            UPDATE deliveries SET lease_until = ?
            WHERE id IN (%s) AND state = 'pending' AND lease_owner = ?""";
    /**
     * The claim past endpoints with full lanes (Dialect#claimOthers): SQLite has no LATERAL, so a correlated IN list
     * re-evaluated per endpoint reads each one's oldest due deliveries through deliveries_endpoint_due.
     */
    private static final String CLAIM_OTHERS = Dialect.claimOthers("""
                    SELECT x.id FROM unordered u JOIN deliveries x ON x.id IN (
                        SELECT y.id FROM deliveries y
                        WHERE y.endpoint_id = u.endpoint_id AND y.state = 'pending' AND y.sequence IS NULL
                          AND y.next_attempt_at <= ? AND (y.lease_until IS NULL OR y.lease_until <= ?)
                        ORDER BY y.next_attempt_at LIMIT ?)
                    WHERE u.endpoint_id NOT IN (%s)""");
    /** FIFO heads (Dialect#claimHeads): the ids an IN list, each read by its key. */
    private static final String CLAIM_HEADS = Dialect.claimHeads("id IN (%s)");
    /**
     * One writer at a time makes row locking unnecessary: the shared claim as it is, and the claim leases the rows it
     * takes of these in the same transaction (see JdbcDeliveries).
     */
    private static final Dialect DIALECT = new Dialect("sqlite", Dialect.CLAIM_DUE, CLAIM_HEADS, CLAIM_OTHERS, GIVE_BACK,
            Optional.empty(), Optional.empty(), "CAST(? AS TEXT)", "", "");

    private SqliteStore() {
    }

    /** The statements this store sends where the dialects differ: the claim's tests explain their plans. */
    public static Dialect dialect() {
        return DIALECT;
    }

    /** Creates {@code dataDir} if needed, migrates {@code herald.db} in it and returns the ready store. */
    public static Store open(Path dataDir) {
        return open(dataDir, Optional.empty());
    }

    /**
     * As above, and what the store sends to the database is counted in {@code registry} (herald_store_statements),
     * with the write connection's load (herald_store_write_transactions, herald_store_writer_busy_seconds).
     */
    public static Store open(Path dataDir, MeterRegistry registry) {
        return open(dataDir, Optional.of(registry));
    }

    private static Store open(Path dataDir, Optional<MeterRegistry> registry) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("store: cannot create the data directory " + dataDir, e);
        }
        String url = "jdbc:sqlite:" + file;
        SQLiteConfig config = config();
        migrate(url, migrationConfig());
        try {
            var statements = StatementCounter.create();
            registry.ifPresent(r -> statements.bindTo(r, DIALECT.kind()));
            var connections = SqliteConnections.open(url, config, statements);
            registry.ifPresent(r -> connections.bindTo(r, DIALECT.kind()));
            var store = JdbcStore.create(DIALECT, connections);
            try {
                // what a previous run wrote since its last marking joins its endpoint's index now (V14, V15)
                store.catchUp();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            LOG.info("store: sqlite opened at {}", file);
            return store;
        } catch (SQLException e) {
            throw new StoreException("store: cannot open " + file, e);
        }
    }

    /**
     * WAL so readers never block the writer; FULL sync so an accepted event survives power loss. The page cache
     * is sized so the hot index pages of a busy queue stay in memory (SQLite's default is 2 MB, which made the
     * writer re-read pages from the OS on every commit), and the file is memory-mapped for reads. Temporary
     * storage stays in memory: group commit gives each caller's work a savepoint, and SQLite keeps the original
     * of every page changed under a savepoint in a sub-journal. On disk that is a temporary file, created, written
     * and deleted under the write lock many times a second under load; in memory, Herald's CPU per delivery in
     * the bench fell by 9 % (fan-out 1 and 10). Durability is unchanged: the sub-journal only serves to undo a
     * savepoint while its transaction is open.
     */
    static SQLiteConfig config() {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setCacheSize(-WRITER_CACHE_KIB);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(MMAP_BYTES));
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // Keys are read with RETURNING; asked for, the driver matches every update's SQL against a pattern and runs
        // a query of its own after each INSERT.
        config.setGetGeneratedKeys(false);
        return config;
    }

    /**
     * Migrations run with foreign keys unenforced: SQLite changes a column's constraints only by rebuilding the
     * table, and dropping the old table must not count as deleting rows that other tables point at. Every
     * migration run ends with {@code PRAGMA foreign_key_check}, so a rebuild that broke a reference fails the start.
     * Their temporary storage is on disk: building an index over a large table sorts all of its rows, which in
     * memory (as the store's own connections keep it) would take as much native memory as the index is large.
     */
    static SQLiteConfig migrationConfig() {
        var config = config();
        config.enforceForeignKeys(false);
        config.setTempStore(SQLiteConfig.TempStore.FILE);
        return config;
    }

    private static void migrate(String url, SQLiteConfig config) {
        var dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(url);
        long started = System.nanoTime();
        if (isCurrent(dataSource)) {
            LOG.info("store: sqlite schema at version {} (current: no migration to apply, checked in {} ms)",
                    Migrations.LATEST_VERSION, (System.nanoTime() - started) / 1_000_000);
            return;
        }
        try {
            var result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/sqlite")
                    .load()
                    .migrate();
            LOG.info("store: sqlite schema at version {} ({} migrations applied in {} ms)",
                    Migrations.versionAfter(result), result.migrationsExecuted,
                    (System.nanoTime() - started) / 1_000_000);
            if (result.migrationsExecuted > 0) {
                checkForeignKeys(dataSource);
            }
        } catch (FlywayException e) {
            throw new StoreException("store: cannot migrate " + url, e);
        }
    }

    private static boolean isCurrent(SQLiteDataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            return Migrations.isCurrent(connection);
        } catch (SQLException e) {
            return false; // Flyway opens it again and says what is wrong
        }
    }

    private static void checkForeignKeys(SQLiteDataSource dataSource) {
        try (var c = dataSource.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("PRAGMA foreign_key_check")) {
            if (rs.next()) {
                throw new StoreException("store: after migrating, table " + rs.getString("table")
                        + " has a row pointing at a missing " + rs.getString("parent") + " row");
            }
        } catch (SQLException e) {
            throw new StoreException("store: cannot check foreign keys after migrating", e);
        }
    }
}

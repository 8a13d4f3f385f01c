package dev.herald.store.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings every connection of the embedded store runs with, read back from SQLite itself. */
class SqliteStoreConfigTest {
    /** {@code PRAGMA synchronous} FULL and {@code PRAGMA temp_store} MEMORY as SQLite reports them. */
    private static final int FULL = 2;
    private static final int MEMORY = 2;

    @TempDir
    Path dir;

    @Test
    void writerAndReadersAreDurableAndKeepSavepointJournalsInMemory() throws SQLException {
        try (var connections = SqliteConnections.open("jdbc:sqlite:" + dir.resolve("herald.db"), SqliteStore.config())) {
            String journal = connections.inWriteTransaction(c -> pragma(c, "journal_mode"));
            String sync = connections.inWriteTransaction(c -> pragma(c, "synchronous"));
            String writerTemp = connections.inWriteTransaction(c -> pragma(c, "temp_store"));
            String readerTemp = connections.withReader(c -> pragma(c, "temp_store"));

            assertThat(journal).isEqualTo("wal");
            assertThat(sync).isEqualTo(String.valueOf(FULL));
            // Group commit gives every caller a savepoint; with temp_store on disk each statement's savepoint
            // journal went to a temporary file created, written and deleted under the write lock.
            assertThat(writerTemp).isEqualTo(String.valueOf(MEMORY));
            assertThat(readerTemp).isEqualTo(String.valueOf(MEMORY));
        }
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

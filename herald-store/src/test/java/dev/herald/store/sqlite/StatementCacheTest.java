package dev.herald.store.sqlite;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.core.CoreResultSet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementCacheTest {
    private static final String SELECT = "SELECT v FROM t WHERE k >= ? ORDER BY k";

    @TempDir
    Path dir;

    private Connection writer;
    private Connection reader;

    @BeforeEach
    void open() throws SQLException {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        String url = "jdbc:sqlite:" + dir.resolve("cache.db");
        writer = StatementCache.wrap(DriverManager.getConnection(url, config.toProperties()));
        reader = StatementCache.wrap(DriverManager.getConnection(url, config.toProperties()));
        writer.setAutoCommit(false);
        reader.setAutoCommit(false);
        try (var st = writer.createStatement()) {
            st.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
        }
        insert(1, "one");
        insert(2, "two");
    }

    @AfterEach
    void close() throws SQLException {
        reader.close();
        writer.close();
    }

    @Test
    void theSameSqlReusesOneStatementWithFreshParameters() throws SQLException {
        PreparedStatement first;
        try (var ps = reader.prepareStatement(SELECT)) {
            first = ps;
            ps.setInt(1, 2);
            assertThat(values(ps)).isEqualTo("two");
        }
        try (var ps = reader.prepareStatement(SELECT)) {
            assertThat(ps).isSameAs(first);
            ps.setInt(1, 1);
            assertThat(values(ps)).isEqualTo("one,two");
        }
        reader.commit();
    }

    @Test
    void aReusedQueryKeepsItsColumnNamesAndStillFindsColumnsByName() throws SQLException {
        String byName = "SELECT k AS key, v AS value FROM t WHERE k = ?";
        String[] firstNames;
        try (var ps = reader.prepareStatement(byName)) {
            ps.setInt(1, 1);
            try (var rs = ps.executeQuery()) {
                firstNames = ((CoreResultSet) rs).colsMeta;
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("value")).isEqualTo("one");
            }
        }
        try (var ps = reader.prepareStatement(byName)) {
            ps.setInt(1, 2);
            try (var rs = ps.executeQuery()) {
                // the names read at the first run, not read again from SQLite
                assertThat(((CoreResultSet) rs).colsMeta).isSameAs(firstNames).containsExactly("key", "value");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt("key")).isEqualTo(2);
                assertThat(rs.getString("value")).isEqualTo("two");
                assertThat(rs.getMetaData().getColumnName(2)).isEqualTo("value");
            }
        }
        reader.commit();
    }

    @Test
    void closingAHalfReadStatementEndsItsReadSoLaterWritesAreSeen() throws SQLException {
        try (var ps = reader.prepareStatement(SELECT)) {
            ps.setInt(1, 1);
            var rs = ps.executeQuery();
            assertThat(rs.next()).isTrue(); // left open and half read on purpose
        }
        reader.commit();

        insert(3, "three");

        try (var ps = reader.prepareStatement(SELECT)) {
            ps.setInt(1, 1);
            assertThat(values(ps)).isEqualTo("one,two,three");
        }
        reader.commit();
    }

    @Test
    void aStatementStillInUseIsNotHandedOutTwice() throws SQLException {
        try (var outer = reader.prepareStatement(SELECT); var inner = reader.prepareStatement(SELECT)) {
            assertThat(inner).isNotSameAs(outer);
            outer.setInt(1, 1);
            inner.setInt(1, 2);
            assertThat(values(outer)).isEqualTo("one,two");
            assertThat(values(inner)).isEqualTo("two");
        }
        reader.commit();
    }

    @Test
    void aClosedCachedStatementRefusesUse() throws SQLException {
        PreparedStatement kept;
        try (var ps = reader.prepareStatement(SELECT)) {
            kept = ps;
        }
        assertThat(kept.isClosed()).isTrue();
        assertThatThrownBy(() -> kept.setInt(1, 1)).isInstanceOf(SQLException.class);
    }

    @Test
    void statementsBeyondTheCapacityAreClosedAndPreparedAgainWhenNeeded() throws SQLException {
        for (int i = 0; i < StatementCache.CAPACITY + 10; i++) {
            try (var ps = reader.prepareStatement("SELECT v FROM t WHERE k = ? + " + i)) {
                ps.setInt(1, 1 - i);
                assertThat(values(ps)).isEqualTo("one");
            }
        }
        try (var ps = reader.prepareStatement("SELECT v FROM t WHERE k = ? + 0")) {
            ps.setInt(1, 2);
            assertThat(values(ps)).isEqualTo("two");
        }
        reader.commit();
    }

    @Test
    void aFailedBatchLeavesNothingBehindForTheNextUse() throws SQLException {
        String upsert = "INSERT INTO t (k, v) VALUES (?, ?)";
        try (var ps = writer.prepareStatement(upsert)) {
            ps.setInt(1, 10);
            ps.setString(2, "ten");
            ps.addBatch();
            ps.setInt(1, 1);
            ps.setString(2, "duplicate");
            ps.addBatch();
            assertThatThrownBy(ps::executeBatch).isInstanceOf(SQLException.class);
        }
        writer.rollback();
        try (var ps = writer.prepareStatement(upsert)) {
            ps.setInt(1, 11);
            ps.setString(2, "eleven");
            ps.addBatch();
            ps.executeBatch();
        }
        writer.commit();
        try (var ps = reader.prepareStatement(SELECT)) {
            ps.setInt(1, 10);
            assertThat(values(ps)).isEqualTo("eleven");
        }
        reader.commit();
    }

    private void insert(int k, String v) throws SQLException {
        try (var ps = writer.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
            ps.setInt(1, k);
            ps.setString(2, v);
            ps.executeUpdate();
        }
        writer.commit();
    }

    private static String values(PreparedStatement ps) throws SQLException {
        var out = new StringBuilder();
        try (var rs = ps.executeQuery()) {
            while (rs.next()) {
                out.append(out.isEmpty() ? "" : ",").append(rs.getString(1));
            }
        }
        return out.toString();
    }
}

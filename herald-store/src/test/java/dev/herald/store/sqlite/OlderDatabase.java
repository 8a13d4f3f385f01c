package dev.herald.store.sqlite;

import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;

/** A database an older Herald wrote, for tests of the migrations that followed. */
final class OlderDatabase {
    private OlderDatabase() {
    }

    /** {@code dir}'s herald.db migrated up to {@code version} only. */
    static SQLiteDataSource migratedTo(Path dir, String version) throws IOException {
        Files.createDirectories(dir);
        var dataSource = new SQLiteDataSource(SqliteStore.migrationConfig());
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("herald.db"));
        Flyway.configure().dataSource(dataSource).locations("classpath:db/sqlite").target(version).load().migrate();
        return dataSource;
    }

    /**
     * Account 1 with API key 7, endpoint 3 (and its counters) and event 41 ({@code evt_old}, payload
     * {@code {"data":{}}}), all at {@code at}: what any later row of a test refers to.
     */
    static void writeTenantWithEvent(Statement s, long at) throws SQLException {
        s.executeUpdate("INSERT INTO accounts (id, uuid, name, created_at) VALUES (1, 'a1', 'acme', " + at + ")");
        s.executeUpdate("INSERT INTO api_keys (id, account_id, name, token_hash, hint, created_at)"
                + " VALUES (7, 1, 'k', 'hash', 'abcd', " + at + ")");
        s.executeUpdate("INSERT INTO endpoints (id, uuid, public_id, account_id, url, event_types, status, created_by,"
                + " headers, created_at, updated_at) VALUES (3, 'u3', 'wh_3', 1, 'https://example.com', '[\"*\"]',"
                + " 'active', 7, '{}', " + at + ", " + at + ")");
        s.executeUpdate("INSERT INTO endpoint_stats (endpoint_id) VALUES (3)");
        s.executeUpdate("INSERT INTO events (id, public_id, account_id, type, occurred_at, payload, api_key_id)"
                + " VALUES (41, 'evt_old', 1, 'job.completed', " + at + ", '{\"data\":{}}', 7)");
    }
}

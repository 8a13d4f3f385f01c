package dev.herald.store.sqlite;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.event.EventId;
import dev.herald.store.Lease;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Migrations that rebuild tables keep every row and every reference of a database written by an older Herald. */
class SqliteMigrationTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void eventsWrittenBeforeThePublishingKeyBecameOptionalSurviveTheRebuildWithTheirDeliveries() throws Exception {
        Files.createDirectories(dir);
        var dataSource = new SQLiteDataSource(SqliteStore.migrationConfig());
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("herald.db"));
        Flyway.configure().dataSource(dataSource).locations("classpath:db/sqlite").target("2").load().migrate();
        long at = NOW.toEpochMilli();
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("INSERT INTO accounts (id, uuid, name, created_at) VALUES (1, 'a1', 'acme', " + at + ")");
            s.executeUpdate("INSERT INTO api_keys (id, account_id, name, token_hash, hint, created_at)"
                    + " VALUES (7, 1, 'k', 'hash', 'abcd', " + at + ")");
            s.executeUpdate("INSERT INTO endpoints (id, uuid, public_id, account_id, url, event_types, status, created_by,"
                    + " headers, created_at, updated_at) VALUES (3, 'u3', 'wh_3', 1, 'https://example.com', '[\"*\"]',"
                    + " 'active', 7, '{}', " + at + ", " + at + ")");
            s.executeUpdate("INSERT INTO endpoint_stats (endpoint_id) VALUES (3)");
            s.executeUpdate("INSERT INTO events (id, public_id, account_id, type, occurred_at, payload, api_key_id)"
                    + " VALUES (41, 'evt_old', 1, 'job.completed', " + at + ", '{\"data\":{}}', 7)");
            s.executeUpdate("INSERT INTO deliveries (id, public_id, account_id, event_id, endpoint_id, state,"
                    + " next_attempt_at, created_at, updated_at) VALUES (5, 'dlv_old', 1, 41, 3, 'pending', " + at
                    + ", " + at + ", " + at + ")");
        }

        try (var store = SqliteStore.open(dir)) {
            var event = store.events().find(new AccountId(1), new EventId("evt_old")).orElseThrow();
            assertThat(event.publishedBy()).contains(new ApiKeyId(7));
            assertThat(store.events().deliveriesOf(new AccountId(1), event.id())).singleElement()
                    .satisfies(d -> assertThat(d.key()).isEqualTo(5));
            assertThat(store.deliveries().claimDue(new Lease("node", NOW.plusSeconds(30)), NOW, 10))
                    .extracting(claimed -> claimed.payload()).containsExactly("{\"data\":{}}");
        }
    }

    @Test
    void theEventIdsKeepGrowingAfterTheRebuild() throws Exception {
        try (var store = SqliteStore.open(dir)) {
            var tenant = dev.herald.store.testing.TestData.tenant(store, NOW);
            var first = dev.herald.store.testing.TestData.publish(store, tenant, "job.completed", NOW);
            var second = dev.herald.store.testing.TestData.publish(store, tenant, "job.completed", NOW);
            assertThat(second.event().id()).isNotEqualTo(first.event().id());
            assertThat(store.events().find(tenant.accountId(), second.event().id()).orElseThrow().publishedBy())
                    .isEqualTo(Optional.of(tenant.keyId()));
        }
    }
}

package dev.herald.store.contract;

import dev.herald.store.Lease;
import dev.herald.store.sqlite.SqliteStore;
import dev.herald.store.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded store keeps everything across a restart on the same data directory. */
class SqliteRestartTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void reopeningTheDataDirectoryKeepsAcceptedEventsAndTheirQueue() throws Exception {
        Path dataDir = dir.resolve("nested/data");
        dev.herald.store.PublishedEvent published;
        dev.herald.store.testing.TestTenant tenant;
        try (var store = SqliteStore.open(dataDir)) {
            tenant = TestData.tenant(store, NOW);
            var endpoint = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
            published = TestData.publish(store, tenant, "job.completed", NOW, endpoint);
        }

        try (var reopened = SqliteStore.open(dataDir)) {
            assertThat(reopened.kind()).isEqualTo("sqlite");
            assertThat(reopened.isReachable()).isTrue();
            assertThat(reopened.accounts().find(tenant.accountId())).contains(tenant.account());
            assertThat(reopened.apiKeys().findActiveByHash(tenant.token().hash())).contains(tenant.key());
            assertThat(reopened.events().find(tenant.accountId(), published.event().id())).contains(published.event());
            assertThat(reopened.deliveries().claimDue(new Lease("node", NOW.plusSeconds(30)), NOW, 10))
                    .extracting(c -> c.delivery().key())
                    .containsExactly(published.deliveries().getFirst().key());
        }
        assertThat(dataDir.resolve("herald.db")).exists();
    }

    @Test
    void usesWriteAheadLoggingAndEnforcesForeignKeys() throws Exception {
        try (var store = SqliteStore.open(dir)) {
            assertThat(store.isReachable()).isTrue();
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("herald.db"));
             var st = c.createStatement();
             var rs = st.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void aClosedStoreIsNotReachable() {
        var store = SqliteStore.open(dir);
        store.close();

        assertThat(store.isReachable()).isFalse();
    }
}

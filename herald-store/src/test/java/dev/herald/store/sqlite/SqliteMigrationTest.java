package dev.herald.store.sqlite;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.event.EventId;
import dev.herald.store.Lease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        var dataSource = OlderDatabase.migratedTo(dir, "2");
        long at = NOW.toEpochMilli();
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            OlderDatabase.writeTenantWithEvent(s, at);
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

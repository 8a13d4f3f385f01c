package dev.herald.store.contract;

import dev.herald.store.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A PostgreSQL store opened with a registry reports its HikariCP pool there. */
class PostgresPoolMetricsTest {
    @Test
    void thePoolReportsItsConnectionsToTheRegistry() {
        var registry = new SimpleMeterRegistry();
        try (var store = TestStores.postgres(registry)) {
            store.accounts().list();

            assertThat(registry.find("hikaricp.connections").tag("pool", "herald-postgres").gauge()).isNotNull();
            assertThat(registry.find("hikaricp.connections.max").gauge().value()).isEqualTo(4.0);
            assertThat(registry.find("hikaricp.connections.acquire").timer().count()).isPositive();
        }
    }
}

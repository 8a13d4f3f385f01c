package dev.herald.app.ops;

import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.Store;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import dev.herald.store.testing.TestTenant;
import dev.herald.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint gauges over a real SQLite store, with a clock the test moves. */
class EndpointStatusGaugesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration REFRESH = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private Store store;
    private TestTenant acme;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(NOW);

    @BeforeEach
    void open() {
        store = TestStores.sqlite(dir);
        acme = TestData.tenant(store, NOW);
        EndpointStatusGauges.register(store, registry, clock, REFRESH);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void reportsEndpointsByStatusAndRereadsOnlyAfterTheRefreshInterval() {
        TestData.endpoint(store, acme, "https://example.com/a", NOW);
        var paused = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        store.endpoints().setStatus(paused.id(), EndpointStatus.PAUSED, NOW);

        assertThat(value("active")).isEqualTo(1.0);
        assertThat(value("paused")).isEqualTo(1.0);
        assertThat(value("failing")).isZero();
        assertThat(value("disabled")).isZero();

        TestData.endpoint(store, acme, "https://example.com/c", NOW);
        clock.advance(REFRESH.minusMillis(1));
        assertThat(value("active")).as("cached within the interval").isEqualTo(1.0);
        clock.advance(Duration.ofMillis(1));
        assertThat(value("active")).as("re-read after it").isEqualTo(2.0);
    }

    private double value(String status) {
        return registry.get(EndpointStatusGauges.NAME).tag("status", status).gauge().value();
    }
}

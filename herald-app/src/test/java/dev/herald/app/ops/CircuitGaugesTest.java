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
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The circuit gauges over a real SQLite store, with a clock the test moves. */
class CircuitGaugesTest {
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
        CircuitGauges.register(store, registry, clock, REFRESH);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void reportsEndpointsByCircuitAndTheDeliveriesTheirCircuitsHold() {
        TestData.endpoint(store, acme, "https://example.com/a", NOW);
        var failing = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        var probe = TestData.publish(store, acme, "job.completed", NOW, failing).deliveries().getFirst();
        TestData.publish(store, acme, "job.completed", NOW, failing);
        TestData.publish(store, acme, "job.completed", NOW, failing);
        store.endpoints().changeStatus(failing.id(), EnumSet.of(EndpointStatus.ACTIVE), EndpointStatus.FAILING, NOW);
        store.endpoints().openCircuit(failing.id(), probe.key(), true, NOW);

        assertThat(value("closed")).isEqualTo(1.0);
        assertThat(value("open")).isEqualTo(1.0);
        assertThat(value("half_open")).isZero();
        assertThat(registry.get(CircuitGauges.HELD).gauge().value()).isEqualTo(2.0);

        store.endpoints().setStatus(failing.id(), EndpointStatus.PAUSED, NOW);
        assertThat(value("open")).as("cached within the interval").isEqualTo(1.0);
        clock.advance(REFRESH);
        assertThat(value("open")).as("re-read after it").isZero();
        assertThat(registry.get(CircuitGauges.HELD).gauge().value()).isZero();
    }

    private double value(String state) {
        return registry.get(CircuitGauges.NAME).tag("state", state).gauge().value();
    }
}

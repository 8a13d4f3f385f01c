package dev.herald.app.ops;

import dev.herald.core.endpoint.Circuit;
import dev.herald.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code herald_endpoint_circuit{state="closed"|"open"|"half_open"}}: non-deleted endpoints by circuit state, and
 * {@code herald_endpoint_circuit_held}: pending deliveries held behind circuits that are not closed. Both read from
 * the store at most once per refresh interval however often Prometheus scrapes; a failed refresh keeps the last
 * known values.
 */
public final class CircuitGauges {
    static final String NAME = "herald.endpoint.circuit";
    static final String HELD = "herald.endpoint.circuit.held";

    private final CachedReading<Map<Circuit, Long>> circuits;
    private final CachedReading<Long> held;

    private CircuitGauges(Store store, Clock clock, Duration refreshEvery) {
        this.circuits = new CachedReading<>("endpoint circuits", () -> store.endpoints().countByCircuit(), Map.of(),
                clock, refreshEvery);
        this.held = new CachedReading<>("deliveries held by circuits", () -> store.deliveries().heldByCircuits(), 0L,
                clock, refreshEvery);
    }

    public static CircuitGauges register(Store store, MeterRegistry registry, Clock clock, Duration refreshEvery) {
        var gauges = new CircuitGauges(store, clock, refreshEvery);
        for (var circuit : Circuit.values()) {
            Gauge.builder(NAME, gauges, g -> g.circuits.current().getOrDefault(circuit, 0L))
                    .description("Endpoints (not deleted) by circuit breaker state")
                    .tag("state", circuit.wireName())
                    .strongReference(true) // held weakly otherwise, and nothing else keeps it: NaN after a GC
                    .register(registry);
        }
        Gauge.builder(HELD, gauges, g -> g.held.current())
                .description("Pending deliveries held behind open or half-open circuits")
                .strongReference(true)
                .register(registry);
        return gauges;
    }
}

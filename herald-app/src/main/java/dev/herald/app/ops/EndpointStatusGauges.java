package dev.herald.app.ops;

import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code herald_endpoints{status="active"|"paused"|"failing"|"disabled"}}: non-deleted endpoints of all accounts,
 * read from the store at most once per refresh interval however often Prometheus scrapes. A failed refresh keeps
 * the last known values and is retried next interval.
 */
public final class EndpointStatusGauges {
    static final String NAME = "herald.endpoints";

    private final CachedReading<Map<EndpointStatus, Long>> reading;

    private EndpointStatusGauges(Store store, Clock clock, Duration refreshEvery) {
        this.reading = new CachedReading<>("endpoint counts", () -> store.endpoints().countByStatus(), Map.of(),
                clock, refreshEvery);
    }

    public static EndpointStatusGauges register(Store store, MeterRegistry registry, Clock clock,
                                                Duration refreshEvery) {
        var gauges = new EndpointStatusGauges(store, clock, refreshEvery);
        for (var status : EndpointStatus.values()) {
            Gauge.builder(NAME, gauges, g -> g.current().getOrDefault(status, 0L))
                    .description("Endpoints (not deleted) by status")
                    .tag("status", status.wireName())
                    .strongReference(true) // held weakly otherwise, and nothing else keeps it: NaN after a GC
                    .register(registry);
        }
        return gauges;
    }

    /** The cached reading (see {@link CachedReading}). */
    Map<EndpointStatus, Long> current() {
        return reading.current();
    }
}

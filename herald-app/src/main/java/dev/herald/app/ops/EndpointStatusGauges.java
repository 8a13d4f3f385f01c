package dev.herald.app.ops;

import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code herald_endpoints{status="active"|"paused"|"failing"|"disabled"}}: non-deleted endpoints of all accounts,
 * read from the store at most once per refresh interval however often Prometheus scrapes. A failed refresh keeps
 * the last known values and is retried next interval.
 */
public final class EndpointStatusGauges {
    private static final Logger log = LoggerFactory.getLogger(EndpointStatusGauges.class);
    static final String NAME = "herald.endpoints";

    private record Reading(Map<EndpointStatus, Long> counts, Instant at) {
    }

    private final Store store;
    private final Clock clock;
    private final Duration refreshEvery;
    private final AtomicReference<Reading> last;
    private final ReentrantLock refreshing = new ReentrantLock();

    private EndpointStatusGauges(Store store, Clock clock, Duration refreshEvery) {
        this.store = store;
        this.clock = clock;
        this.refreshEvery = refreshEvery;
        this.last = new AtomicReference<>(new Reading(Map.of(), Instant.MIN));
    }

    public static EndpointStatusGauges register(Store store, MeterRegistry registry, Clock clock,
                                                Duration refreshEvery) {
        var gauges = new EndpointStatusGauges(store, clock, refreshEvery);
        for (var status : EndpointStatus.values()) {
            Gauge.builder(NAME, gauges, g -> g.current().getOrDefault(status, 0L))
                    .description("Endpoints (not deleted) by status")
                    .tag("status", status.wireName())
                    .register(registry);
        }
        return gauges;
    }

    /** The cached counts, refreshed first when older than the interval; concurrent scrapes never query twice. */
    Map<EndpointStatus, Long> current() {
        Reading reading = last.get();
        Instant now = clock.instant();
        if (reading.at().plus(refreshEvery).isAfter(now) || !refreshing.tryLock()) {
            return reading.counts();
        }
        try {
            Reading fresh = new Reading(store.endpoints().countByStatus(), now);
            last.set(fresh);
            return fresh.counts();
        } catch (RuntimeException e) {
            log.warn("EndpointStatusGauges: cannot count endpoints, keeping the last values: {}", e.toString());
            last.set(new Reading(reading.counts(), now));
            return reading.counts();
        } finally {
            refreshing.unlock();
        }
    }
}

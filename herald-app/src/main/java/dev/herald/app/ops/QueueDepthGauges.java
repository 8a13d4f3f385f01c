package dev.herald.app.ops;

import dev.herald.store.QueueDepth;
import dev.herald.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;

/**
 * {@code herald_queue_deliveries{state="due"|"scheduled"|"held"}}: pending deliveries, read from the store at
 * most once per refresh interval however often Prometheus scrapes (a depth query counts rows, so it must not
 * run per scrape on a large queue). A failed refresh keeps the last known values and is retried next interval.
 */
public final class QueueDepthGauges {
    private static final Logger log = LoggerFactory.getLogger(QueueDepthGauges.class);
    static final String NAME = "herald.queue.deliveries";

    private record Reading(QueueDepth depth, Instant at) {
    }

    private final Store store;
    private final Clock clock;
    private final Duration refreshEvery;
    private final AtomicReference<Reading> last;
    private final ReentrantLock refreshing = new ReentrantLock();

    private QueueDepthGauges(Store store, Clock clock, Duration refreshEvery) {
        this.store = store;
        this.clock = clock;
        this.refreshEvery = refreshEvery;
        this.last = new AtomicReference<>(new Reading(new QueueDepth(0, 0, 0), Instant.MIN));
    }

    public static QueueDepthGauges register(Store store, MeterRegistry registry, Clock clock, Duration refreshEvery) {
        var gauges = new QueueDepthGauges(store, clock, refreshEvery);
        gauges.gauge(registry, "due", QueueDepth::dueNow);
        gauges.gauge(registry, "scheduled", QueueDepth::scheduled);
        gauges.gauge(registry, "held", QueueDepth::held);
        return gauges;
    }

    private void gauge(MeterRegistry registry, String state, ToDoubleFunction<QueueDepth> value) {
        Gauge.builder(NAME, this, g -> value.applyAsDouble(g.current()))
                .description("Pending deliveries: due now, scheduled for a later attempt, held (paused endpoints)")
                .tag("state", state)
                .register(registry);
    }

    /** The cached depth, refreshed first when older than the interval; concurrent scrapes never query twice. */
    QueueDepth current() {
        Reading reading = last.get();
        Instant now = clock.instant();
        if (reading.at().plus(refreshEvery).isAfter(now) || !refreshing.tryLock()) {
            return reading.depth();
        }
        try {
            Reading fresh = new Reading(store.deliveries().depth(now), now);
            last.set(fresh);
            return fresh.depth();
        } catch (RuntimeException e) {
            log.warn("QueueDepthGauges: cannot read the queue depth, keeping the last values: {}", e.toString());
            last.set(new Reading(reading.depth(), now));
            return reading.depth();
        } finally {
            refreshing.unlock();
        }
    }
}

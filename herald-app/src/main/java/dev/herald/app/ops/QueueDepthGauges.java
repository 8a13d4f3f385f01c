package dev.herald.app.ops;

import dev.herald.store.QueueDepth;
import dev.herald.store.Store;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * {@code herald_queue_deliveries{state="due"|"scheduled"|"held"}}: pending deliveries, read from the store at
 * most once per refresh interval however often Prometheus scrapes (a depth query counts rows, so it must not
 * run per scrape on a large queue). A failed refresh keeps the last known values and is retried next interval.
 */
public final class QueueDepthGauges {
    static final String NAME = "herald.queue.deliveries";

    private final CachedReading<QueueDepth> reading;

    private QueueDepthGauges(Store store, Clock clock, Duration refreshEvery) {
        this.reading = new CachedReading<>("the queue depth", () -> store.deliveries().depth(clock.instant()),
                new QueueDepth(0, 0, 0), clock, refreshEvery);
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
                // Micrometer holds a gauge's object weakly: nothing else keeps these gauges, so without a strong
                // reference the first full GC turns them into NaN.
                .strongReference(true)
                .register(registry);
    }

    /** The cached reading (see {@link CachedReading}). */
    QueueDepth current() {
        return reading.current();
    }
}

package dev.herald.app.ops;

import dev.herald.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A store reading behind a gauge: taken at most once per refresh interval however often Prometheus scrapes (the
 * queries count rows), by one scrape at a time; a failed read keeps the last value and is retried next interval.
 */
final class CachedReading<T> {
    private static final Logger log = LoggerFactory.getLogger(CachedReading.class);

    private record Reading<T>(T value, Instant at) {
    }

    private final String what;
    private final Supplier<T> read;
    private final Clock clock;
    private final Duration refreshEvery;
    private final AtomicReference<Reading<T>> last;
    private final ReentrantLock refreshing = new ReentrantLock();

    CachedReading(String what, Supplier<T> read, T initial, Clock clock, Duration refreshEvery) {
        this.what = what;
        this.read = read;
        this.clock = clock;
        this.refreshEvery = refreshEvery;
        this.last = new AtomicReference<>(new Reading<>(initial, Instant.MIN));
    }

    /** The cached value, refreshed first when older than the interval; concurrent scrapes never read twice. */
    T current() {
        Reading<T> reading = last.get();
        Instant now = clock.instant();
        if (reading.at().plus(refreshEvery).isAfter(now) || !refreshing.tryLock()) {
            return reading.value();
        }
        try {
            T fresh = read.get();
            last.set(new Reading<>(fresh, now));
            return fresh;
        } catch (StoreUnavailableException e) {
            // logged once per outage by the store itself
            log.debug("ops: cannot read {}, keeping the last values: {}", what, e.toString());
            last.set(new Reading<>(reading.value(), now));
            return reading.value();
        } catch (RuntimeException e) {
            log.warn("ops: cannot read {}, keeping the last values: {}", what, e.toString());
            last.set(new Reading<>(reading.value(), now));
            return reading.value();
        } finally {
            refreshing.unlock();
        }
    }
}

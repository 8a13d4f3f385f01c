package dev.herald.store.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line when the database stops answering and one when it answers again, however many operations fail in
 * between (pollers retry every few seconds; a line each would bury everything else). The components whose
 * operations failed log the unavailability at DEBUG only.
 */
final class OutageLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.herald.store");
    private static final long UP = Long.MIN_VALUE;

    private final String kind;
    /** When the current outage began ({@link System#nanoTime()}), or {@link #UP}. */
    private final AtomicLong downSince = new AtomicLong(UP);

    OutageLog(String kind) {
        this.kind = kind;
    }

    /** An operation reached the database: ends an outage, if one was going on. A volatile read when none was. */
    void answered() {
        if (downSince.get() == UP) {
            return;
        }
        long since = downSince.getAndSet(UP);
        if (since != UP) {
            LOG.warn("store: the {} database answers again after {} s of outage; work resumes", kind,
                    Duration.ofNanos(System.nanoTime() - since).toSeconds());
        }
    }

    /** An operation found the database unavailable: starts an outage, if none was going on. */
    void unavailable(Throwable cause) {
        if (downSince.get() == UP && downSince.compareAndSet(UP, System.nanoTime())) {
            LOG.error("store: the {} database is unavailable ({}); API calls that need it answer 503 and deliveries "
                    + "wait until it answers again. Will keep trying.", kind, cause.getMessage());
        }
    }
}

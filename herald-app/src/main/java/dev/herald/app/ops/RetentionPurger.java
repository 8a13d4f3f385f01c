package dev.herald.app.ops;

import dev.herald.core.account.AccountId;
import dev.herald.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Background retention: every few minutes removes the attempts and event payloads of deliveries that finished
 * longer than the retention period ago, in small batches with a pause between them so neither store's writers
 * (SQLite's single write lock above all) wait long. Delivery and event rows and endpoint counters stay. It also
 * finishes the purge of deleted accounts whose deletion had to leave in-flight deliveries behind.
 */
public final class RetentionPurger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RetentionPurger.class);
    static final int BATCH_SIZE = 1_000;
    static final Duration PAUSE_BETWEEN_BATCHES = Duration.ofMillis(100);
    static final Duration RUN_EVERY = Duration.ofMinutes(5);

    private final Store store;
    private final Duration period;
    private final Clock clock;
    private final Duration pause;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private Thread thread;

    RetentionPurger(Store store, Duration period, Clock clock, Duration pause) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("retention period must be positive");
        }
        this.store = store;
        this.period = period;
        this.clock = clock;
        this.pause = pause;
    }

    /** Starts the purge loop on a virtual thread; its first pass runs right away. */
    public static RetentionPurger start(Store store, Duration period, Clock clock) {
        var purger = new RetentionPurger(store, period, clock, PAUSE_BETWEEN_BATCHES);
        purger.thread = Thread.ofVirtual().name("herald-retention").start(purger::run);
        return purger;
    }

    private void run() {
        log.info("RetentionPurger: keeping finished deliveries' attempts and payloads for {}", period);
        do {
            try {
                purgeOnce();
            } catch (Throwable e) {
                log.error("RetentionPurger: purge pass failed. Will keep running.", e);
            }
        } while (!stopped(RUN_EVERY));
    }

    /**
     * One pass: purges batch after batch until nothing older than now minus the period is left (or closed);
     * returns how many rows changed.
     */
    int purgeOnce() {
        var cutoff = clock.instant().minus(period);
        int total = 0;
        for (int n = store.deliveries().purgeFinishedBefore(cutoff, BATCH_SIZE); n > 0;
             n = store.deliveries().purgeFinishedBefore(cutoff, BATCH_SIZE)) {
            total += n;
            if (stopped(pause)) {
                break;
            }
        }
        if (total > 0) {
            log.info("RetentionPurger: purged {} attempts and payloads finished before {}", total, cutoff);
        }
        return total + finishDeletions();
    }

    /**
     * Finishes the purge of accounts whose deletion left rows behind (deliveries that were in flight then, kept until
     * their leases ended), so a deleted account's data goes even if nobody deletes it again; returns rows removed.
     */
    private int finishDeletions() {
        int total = 0;
        for (AccountId account : store.accounts().deleted()) {
            int rows = 0;
            for (int n = store.accounts().purge(account, clock.instant(), BATCH_SIZE); n > 0;
                 n = store.accounts().purge(account, clock.instant(), BATCH_SIZE)) {
                rows += n;
                if (stopped(pause)) {
                    return total + rows;
                }
            }
            if (rows > 0) {
                log.info("RetentionPurger: purged {} more rows of deleted account {}{}", rows, account.value(),
                        store.accounts().findInAnyStatus(account).isEmpty() ? "; it is gone" : "");
            }
            total += rows;
        }
        return total;
    }

    /** Waits up to {@code wait}; true as soon as the purger is closed (or its thread interrupted). */
    private boolean stopped(Duration wait) {
        try {
            return stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Stops the loop; a batch in flight finishes first (it is one short transaction). */
    @Override
    public void close() {
        stopping.countDown();
        if (thread != null) {
            try {
                if (!thread.join(Duration.ofSeconds(10))) {
                    log.warn("RetentionPurger: still finishing a batch after 10 s, not waiting longer");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

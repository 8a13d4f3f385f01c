package dev.herald.delivery;

import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.AttemptRecord;
import dev.herald.store.Deliveries;
import dev.herald.store.EndpointStanding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Records attempt outcomes in batches (group commit): one thread drains finished attempts, writes each batch
 * in one transaction and then applies the endpoint status rules to the counters the store returns.
 */
final class AttemptWriter {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptWriter.class);
    private static final int WRITE_TRIES = 3;
    private static final long LINGER_MILLIS = 5;

    private final ConcurrentHashMap<Long, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();
    private final AttemptResults queue;
    private final Deliveries deliveries;
    private final int batchSize;
    private final DeliveryMetrics metrics;
    private final EndpointHealth health;
    /** Hears each batch once written (the operational events of its attempts). */
    private final Consumer<List<AttemptOutcome>> recorded;
    private final Runnable afterWrite;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * {@code afterWrite} runs after every batch taken from the queue, written or given up on (the dispatcher
     * starts work that waited for the writer).
     */
    AttemptWriter(AttemptResults queue, Deliveries deliveries, int batchSize, DeliveryMetrics metrics,
                  EndpointHealth health, Runnable afterWrite, Consumer<List<AttemptOutcome>> recorded) {
        this.recorded = recorded;
        this.queue = queue;
        this.deliveries = deliveries;
        this.batchSize = batchSize;
        this.metrics = metrics;
        this.health = health;
        this.afterWrite = afterWrite;
        this.thread = Thread.ofPlatform().name("herald-attempt-writer").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Completes once the next attempt of delivery {@code key} is recorded. Register before sending. */
    CompletableFuture<Void> whenRecorded(long key) {
        return waiters.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    /** Writes what is queued, then stops; waits at most {@code grace}. */
    void close(Duration grace) throws InterruptedException {
        running = false;
        thread.join(grace);
        if (thread.isAlive()) {
            LOG.warn("AttemptWriter: {} attempt results were not written within the grace period; their deliveries "
                    + "are retried when the leases expire", queue.waiting());
            thread.interrupt();
        }
    }

    /** Stops at once without writing anything more (a simulated crash). */
    void abandon() {
        running = false;
        queue.clear();
        thread.interrupt();
    }

    private void run() {
        var batch = new ArrayList<AttemptOutcome>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                AttemptOutcome first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                if (batch.size() < batchSize && running && !AttemptOutcome.anyFifo(batch)) {
                    // Results arrive in bursts; lingering a moment makes batches, and so commits, fewer. Not when a
                    // FIFO endpoint's result is among them: its next delivery waits for this write, so a linger
                    // would bound the endpoint's rate by it.
                    Thread.sleep(LINGER_MILLIS);
                    queue.drainTo(batch, batchSize - batch.size());
                }
                write(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    LOG.info("AttemptWriter: interrupted during shutdown, stopping.");
                    return;
                }
                LOG.warn("AttemptWriter: interrupted unexpectedly. Will keep running.");
            } catch (Throwable e) {
                LOG.error("AttemptWriter: unexpected error writing {} attempt results; their deliveries are retried "
                        + "when the leases expire. Will keep running.", batch.size(), e);
            } finally {
                if (!batch.isEmpty()) {
                    batch.clear();
                    afterBatch(); // written or given up on: either way no longer waiting
                }
            }
        }
    }

    private void afterBatch() {
        try {
            afterWrite.run();
        } catch (RuntimeException e) {
            LOG.error("AttemptWriter: starting waiting work after a batch failed. Will keep running.", e);
        }
    }

    private void write(List<AttemptOutcome> batch) throws InterruptedException {
        List<AttemptRecord> records = batch.stream().map(AttemptOutcome::record).toList();
        Map<EndpointId, EndpointStanding> standings = null;
        for (int tried = 1; standings == null; tried++) {
            try {
                standings = deliveries.recordAttempts(records);
            } catch (RuntimeException e) {
                if (tried >= WRITE_TRIES || !running) {
                    throw e;
                }
                LOG.warn("AttemptWriter: writing {} attempt results failed (try {} of {}). Will retry.",
                        records.size(), tried, WRITE_TRIES, e);
                Thread.sleep(200L * tried);
            }
        }
        batch.forEach(metrics::recorded);
        // Someone waits only for a test send's result: most batches box no key to look for one.
        for (int i = 0; i < batch.size() && !waiters.isEmpty(); i++) {
            var waiter = waiters.remove(batch.get(i).record().deliveryKey());
            if (waiter != null) {
                waiter.complete(null);
            }
        }
        health.apply(batch, standings);
        recorded.accept(batch);
    }
}

package dev.herald.delivery;

import dev.herald.store.ClaimedDelivery;
import dev.herald.store.Deliveries;
import dev.herald.store.Lease;
import dev.herald.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Claims due deliveries from the store: retries, deliveries published without a lease, and work whose lease
 * expired because a node died. It claims bounded batches, never more than the dispatcher has room for, so
 * memory does not grow with the backlog.
 */
final class DuePoller {
    private static final Logger LOG = LoggerFactory.getLogger(DuePoller.class);
    /**
     * How often held deliveries that nothing holds any more are looked for (a publish that raced a resume or a
     * circuit closing): rare, and a look costs a read of the held rows only.
     */
    private static final long STRAY_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Deliveries deliveries;
    private final Dispatcher dispatcher;
    private final EndpointCache cache;
    private final DeliverySettings settings;
    private final Clock clock;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private long lastSweepNanos = System.nanoTime();

    DuePoller(Deliveries deliveries, Dispatcher dispatcher, EndpointCache cache, DeliverySettings settings,
              Clock clock) {
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.cache = cache;
        this.settings = settings;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("herald-due-poller").daemon().unstarted(this::run);
    }

    void start() {
        dispatcher.onRoom(this::wake);
        thread.start();
    }

    /** Looks for due work now instead of at the next interval (manual retry, resumed endpoint). */
    void wake() {
        wakeUps.release();
    }

    void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }

    private void run() {
        while (running) {
            try {
                wakeUps.tryAcquire(settings.queues().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                releaseStrayHeld();
                claimWhileDue();
            } catch (InterruptedException e) {
                if (!running) {
                    LOG.info("DuePoller: interrupted during shutdown, stopping.");
                    return;
                }
                LOG.warn("DuePoller: interrupted unexpectedly. Will keep running.");
            } catch (StoreUnavailableException e) {
                // The store logs an outage once, when it starts and when it ends; a line per poll would bury it.
                LOG.debug("DuePoller: store unavailable, claiming again at the next poll: {}", e.getMessage());
            } catch (Throwable e) {
                LOG.error("DuePoller: unexpected error claiming due deliveries. Will keep running.", e);
            }
        }
    }

    private void releaseStrayHeld() {
        if (System.nanoTime() - lastSweepNanos < STRAY_SWEEP_NANOS) {
            return;
        }
        lastSweepNanos = System.nanoTime();
        int released = deliveries.releaseStrayHeld(clock.instant());
        if (released > 0) {
            LOG.info("DuePoller: released {} held deliveries of endpoints that no longer hold them", released);
        }
    }

    private void claimWhileDue() {
        while (running) {
            int limit = Math.min(settings.queues().batchSize(), dispatcher.room());
            if (limit <= 0) {
                return;
            }
            Instant now = clock.instant();
            List<ClaimedDelivery> claimed = deliveries.claimDue(
                    new Lease(settings.queues().nodeId(), now.plus(settings.queues().leaseDuration())), now, limit);
            boolean allTaken = true;
            for (ClaimedDelivery c : claimed) {
                var rate = cache.get(c.delivery().endpointId())
                        .map(s -> s.endpoint().rateLimit())
                        .orElse(OptionalInt.empty());
                allTaken &= dispatcher.submit(new DeliveryJob(c), rate);
            }
            // A short batch means nothing else is due; a refused one means some endpoint is saturated, and
            // claiming on at once would only hand back more of its backlog.
            if (claimed.size() < limit || !allTaken) {
                return;
            }
        }
    }
}

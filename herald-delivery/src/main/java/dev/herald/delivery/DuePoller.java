package dev.herald.delivery;

import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.Deliveries;
import dev.herald.store.DueClaim;
import dev.herald.store.Endpoints;
import dev.herald.store.Lease;
import dev.herald.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Claims due deliveries from the store: retries, deliveries published without a lease, and work whose lease
 * expired because a node died. It claims bounded batches, never more than the dispatcher has room for, in total
 * and per endpoint, so memory does not grow with the backlog and a saturated endpoint's backlog is left in the store
 * untouched rather than claimed and handed back; the dispatcher wakes it when that endpoint's lane has drained to half.
 */
final class DuePoller {
    private static final Logger LOG = LoggerFactory.getLogger(DuePoller.class);
    private final Deliveries deliveries;
    private final Endpoints endpoints;
    private final Dispatcher dispatcher;
    private final EndpointCache cache;
    private final DeliverySettings settings;
    private final Clock clock;
    private final Semaphore wakeUps = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private long lastSweepNanos = System.nanoTime();

    DuePoller(Deliveries deliveries, Endpoints endpoints, Dispatcher dispatcher, EndpointCache cache,
              DeliverySettings settings, Clock clock) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
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
        // rare, and a look reads only the held rows and the circuits not closed
        if (System.nanoTime() - lastSweepNanos < settings.queues().sweepInterval().toNanos()) {
            return;
        }
        lastSweepNanos = System.nanoTime();
        int released = deliveries.releaseStrayHeld(clock.instant());
        if (released > 0) {
            LOG.info("DuePoller: released {} held deliveries of endpoints that no longer hold them", released);
        }
        endpoints.stalledCircuits().forEach((endpoint, circuit) -> {
            Instant now = clock.instant();
            var step = circuit == Circuit.OPEN
                    ? endpoints.reprobeCircuit(endpoint, now)
                    : endpoints.advanceCircuit(endpoint, settings.limits().maxConcurrencyPerEndpoint(), now);
            step.ifPresent(taken -> LOG.warn("DuePoller: the {} circuit of endpoint {} had nothing left to move it on "
                            + "(the step after its last attempt was never taken); it is {} now, {} held deliveries "
                            + "released", circuit.wireName(), endpoint.value(), taken.circuit().wireName(),
                    taken.deliveriesAffected()));
        });
    }

    private void claimWhileDue() {
        while (running) {
            int limit = Math.min(settings.queues().batchSize(), dispatcher.room());
            if (limit <= 0) {
                return;
            }
            Instant now = clock.instant();
            DueClaim claim = deliveries.claimDue(
                    new Lease(settings.queues().nodeId(), now.plus(settings.queues().leaseDuration())), now, limit,
                    dispatcher.laneRooms());
            var refused = new ArrayList<DeliveryJob>();
            for (ClaimedDelivery c : claim.claimed()) {
                var job = new DeliveryJob(c);
                var rate = cache.get(c.delivery().endpointId())
                        .map(s -> s.endpoint().rateLimit())
                        .orElse(OptionalInt.empty());
                if (!dispatcher.submit(job, rate)) {
                    refused.add(job);
                }
            }
            giveBack(refused);
            var full = new HashSet<EndpointId>(claim.leftFor());
            refused.forEach(job -> full.add(job.endpointId()));
            if (!full.isEmpty() && claim.claimed().size() < limit) {
                // Some endpoint has more due work than its lane takes: claim on once its lane has drained to half
                // (the dispatcher wakes us), not at once, which would only find the same work again. A full batch
                // (other endpoints' work found past a saturated one's backlog) claims on at once: there may be more.
                if (dispatcher.wakeWhenDrained(full)) {
                    continue;
                }
                return;
            }
            if (claim.claimed().size() < limit) {
                return; // a short batch means nothing else is due
            }
        }
    }

    /**
     * Gives back, in one statement, what the dispatcher refused (a publish took its lane's room meanwhile, or the node
     * is stopping): leased until the soonest of their lanes is expected to have room, to be claimed again then.
     */
    private void giveBack(List<DeliveryJob> refused) {
        if (refused.isEmpty()) {
            return;
        }
        Duration delay = refused.stream().map(job -> dispatcher.refusedBackoff(job.endpointId()))
                .min(Duration::compareTo).orElseThrow();
        Instant until = clock.instant().plus(delay);
        deliveries.giveBack(refused.stream().map(DeliveryJob::key).toList(),
                new Lease(settings.queues().nodeId(), until));
    }
}

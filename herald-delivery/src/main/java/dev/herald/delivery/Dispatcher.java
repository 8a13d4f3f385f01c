package dev.herald.delivery;

import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.delivery.publish.DeliveryLanes;
import dev.herald.store.ClaimedDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * Decides when each leased delivery on this node is attempted. Every endpoint has a lane with its own
 * concurrency limit, optional rate limit and a bounded waiting queue; the node has a global in-flight limit.
 * Work waiting for a busy endpoint never holds a global slot, so a slow or dead endpoint cannot delay the
 * others; the claimer takes only what lanes have room for ({@link #laneRooms()}) and is woken when a lane it left
 * work for has drained to half, so one endpoint's backlog flows at that endpoint's pace.
 */
final class Dispatcher implements DeliveryLanes {
    /** Starts one attempt of a job; {@code done} hears how it ended once it has finished, whatever the outcome. */
    interface AttemptStarter {
        /** Starts {@code job}; {@code done} is called with it and how it ended (one callback for every job). */
        void start(DeliveryJob job, BiConsumer<DeliveryJob, AttemptEnd> done);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /**
     * Idle lanes kept for the endpoint's next delivery, up to this many lanes in all: beyond it a lane that goes idle
     * is dropped. Made anew for each delivery, a lane (its queue, its list of running jobs, its map entry) was a
     * twentieth of what a publish at fan-out 1 allocated, and its average latency started again from nothing.
     */
    static final int LANES_KEPT = 1_024;

    private final Object lock = new Object();
    private final Map<EndpointId, Lane> lanes = new HashMap<>();
    /** Lanes with waiting work and free lane slots that only wait for a global slot, in arrival order. */
    private final ArrayDeque<Lane> waitingForGlobal = new ArrayDeque<>();
    private final DeliverySettings settings;
    private final ScheduledExecutorService timers;
    private final int laneQueueLimit;
    private final int bufferLimit;
    private final AttemptStarter starter;
    /** Told of every job's end: one callback, not one capturing each job. */
    private final BiConsumer<DeliveryJob, AttemptEnd> whenFinished = this::finished;
    /** Told once the node, or a lane, has room again after a claimer found it full (see {@link #room()}). */
    private volatile Runnable roomListener = () -> { };
    private boolean claimerWaitsForRoom;
    /**
     * Attempt results sent but not yet written. While {@code maxInFlight} of them wait, no new send starts: sending
     * must not outrun the store (results would pile up in memory, and leases expire before they are recorded);
     * {@link #recorded()} starts work again.
     */
    private final IntSupplier unrecorded;
    private int inFlight;
    private int buffered;
    private boolean starting = true;

    Dispatcher(DeliverySettings settings, ScheduledExecutorService timers, AttemptStarter starter,
               IntSupplier unrecorded) {
        this.settings = settings;
        this.starter = starter;
        this.unrecorded = unrecorded;
        this.timers = timers;
        // A lane may hold a few rounds of its concurrency; the node buffers about two rounds of its global limit.
        this.laneQueueLimit = settings.limits().maxConcurrencyPerEndpoint() * 16;
        this.bufferLimit = settings.limits().maxInFlight() * 2;
    }

    /** Called after a batch of results was written: starts work that waited for the writer to catch up. */
    void recorded() {
        List<DeliveryJob> toStart;
        synchronized (lock) {
            toStart = startWaitingForGlobal(null);
        }
        startAll(toStart);
    }

    /** Whether the node may start one more send. Called under the lock. */
    private boolean globalRoom() {
        return inFlight < settings.limits().maxInFlight() && unrecorded.getAsInt() < settings.limits().maxInFlight();
    }

    /**
     * Pumps lanes that wait for a global slot, in arrival order, while there is room; returns the jobs to start added
     * to {@code toStart} (as {@link #pump(Lane, List)}). Called under the lock.
     */
    private List<DeliveryJob> startWaitingForGlobal(List<DeliveryJob> toStart) {
        while (globalRoom() && !waitingForGlobal.isEmpty()) {
            Lane next = waitingForGlobal.poll();
            next.queuedForGlobal = false;
            toStart = pump(next, toStart);
        }
        return toStart;
    }

    /** Reserves a place for a delivery about to be published to {@code endpoint}; false when there is none. */
    @Override
    public boolean tryReserve(Endpoint endpoint) {
        synchronized (lock) {
            if (!starting || buffered + inFlight >= bufferLimit) {
                return false;
            }
            Lane lane = lane(endpoint.id(), endpoint.rateLimit());
            if (queued(lane) >= laneQueueLimit) {
                return false;
            }
            lane.reserved++;
            buffered++;
            return true;
        }
    }

    /**
     * How long work for {@code endpoint} should wait before it is offered again when its lane is full: about
     * when the lane will have drained, judged by how long its recent attempts took, so the backlog of a slow or
     * dead endpoint is not claimed and handed back over and over. Zero when the lane has room.
     */
    @Override
    public Duration backoff(EndpointId endpoint) {
        synchronized (lock) {
            Lane lane = lanes.get(endpoint);
            if (lane == null || queued(lane) < laneQueueLimit) {
                return Duration.ZERO;
            }
            return backoff(lane);
        }
    }

    private Duration backoff(Lane lane) {
        long rounds = 1 + queued(lane) / settings.limits().maxConcurrencyPerEndpoint();
        // Requests still in flight count with the time they have taken so far, so a dead endpoint whose
        // requests never finish is recognised long before its first timeout.
        long now = System.nanoTime();
        long oldestInFlight = 0;
        for (DeliveryJob running : lane.running) {
            if (running.startedNanos() - lane.timedSinceNanos >= 0) {
                oldestInFlight = Math.max(oldestInFlight, now - running.startedNanos());
            }
        }
        double latency = Math.max(lane.averageMillis, TimeUnit.NANOSECONDS.toMillis(oldestInFlight));
        long millis = Math.round(latency * rounds);
        return Duration.ofMillis(Math.clamp(millis, 500, settings.queues().leaseDuration().toMillis()));
    }

    @Override
    public void cancelReservation(EndpointId endpoint) {
        synchronized (lock) {
            Lane lane = lanes.get(endpoint);
            if (lane != null && lane.reserved > 0) {
                lane.reserved--;
                buffered--;
                dropIfIdle(lane);
            }
        }
    }

    /** Hands over a delivery published with a reservation; it always fits. */
    @Override
    public void submitReserved(ClaimedDelivery delivery) {
        var job = new DeliveryJob(delivery);
        List<DeliveryJob> toStart;
        synchronized (lock) {
            Lane lane = lanes.get(job.endpointId());
            if (lane == null || lane.reserved == 0) {
                throw new IllegalStateException("no reservation for endpoint " + job.endpointId());
            }
            lane.reserved--;
            lane.waiting.add(job);
            toStart = pump(lane);
        }
        startAll(toStart);
    }

    /**
     * Takes a claimed delivery; false when its endpoint's lane is full (a publish reserved the room meanwhile) or the
     * node is stopping: the claimer gives it back to the store.
     */
    boolean submit(DeliveryJob job, OptionalInt rateLimit) {
        List<DeliveryJob> toStart;
        synchronized (lock) {
            Lane lane = lane(job.endpointId(), rateLimit);
            if (!starting || queued(lane) >= laneQueueLimit) {
                dropIfIdle(lane);
                return false;
            }
            lane.waiting.add(job);
            buffered++;
            toStart = pump(lane);
        }
        startAll(toStart);
        return true;
    }

    /** How long a delivery refused by {@link #submit} should wait before it is claimed again. */
    Duration refusedBackoff(EndpointId endpoint) {
        synchronized (lock) {
            Lane lane = lanes.get(endpoint);
            return lane == null ? Duration.ofMillis(500) : backoff(lane);
        }
    }

    /**
     * How many more claimed deliveries of each endpoint its lane takes now, as of this call: the claimer passes it to
     * the store so that it leases no more than fits, instead of giving the rest back row by row.
     */
    ToIntFunction<EndpointId> laneRooms() {
        var rooms = new HashMap<EndpointId, Integer>();
        synchronized (lock) {
            for (Lane lane : lanes.values()) {
                // an empty lane (most of the idle ones kept) has the room of a lane not yet made
                if (!starting || queued(lane) > 0) {
                    rooms.put(lane.id, starting ? Math.max(0, laneQueueLimit - queued(lane)) : 0);
                }
            }
        }
        return endpoint -> rooms.getOrDefault(endpoint, laneQueueLimit);
    }

    /**
     * The claimer left due work of these endpoints for want of lane room: the room listener is told as soon as one of
     * their lanes has drained to half, so a backlog flows at the lane's pace rather than a lane's worth per poll.
     * Returns true, asking nothing of the listener, when one of them has that room already.
     */
    boolean wakeWhenDrained(Set<EndpointId> endpoints) {
        synchronized (lock) {
            boolean roomNow = false;
            for (EndpointId endpoint : endpoints) {
                Lane lane = lanes.get(endpoint);
                if (lane == null || queued(lane) <= laneQueueLimit / 2) {
                    roomNow = true;
                } else {
                    lane.claimerWaits = true;
                }
            }
            return roomNow && starting;
        }
    }

    /** Work the lane holds that is not in flight yet. Called under the lock. */
    private static int queued(Lane lane) {
        return lane.waiting.size() + lane.reserved;
    }

    void onRoom(Runnable listener) {
        this.roomListener = listener;
    }

    /**
     * How many more claimed deliveries this node can take now. When there is none, the room listener is told
     * as soon as half the buffer has drained, so a backlog keeps the node busy instead of waiting for the next
     * poll.
     */
    int room() {
        synchronized (lock) {
            int room = starting ? Math.max(0, bufferLimit - buffered - inFlight) : 0;
            claimerWaitsForRoom = room == 0 && starting;
            return room;
        }
    }

    /** The lanes kept, busy or idle. */
    int lanes() {
        synchronized (lock) {
            return lanes.size();
        }
    }

    int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    int waiting() {
        synchronized (lock) {
            return buffered;
        }
    }

    /** Forgets the waiting work of an endpoint that no longer receives (paused, disabled, deleted, circuit open). */
    void forget(EndpointId endpoint) {
        synchronized (lock) {
            Lane lane = lanes.get(endpoint);
            if (lane != null) {
                dropWaiting(lane);
                dropIfIdle(lane);
            }
        }
    }

    /** Called under the lock. The dropped work stays leased here; it is claimed again when the lease expires. */
    private void dropWaiting(Lane lane) {
        buffered -= lane.waiting.size();
        lane.waiting.clear();
    }

    /**
     * The endpoint was updated (its URL, status or limits may have changed): what its lane learned about the
     * old one's response times no longer predicts how fast it drains, so backoffs start from scratch.
     */
    void endpointUpdated(EndpointId endpoint, OptionalInt rateLimit) {
        synchronized (lock) {
            Lane lane = lanes.get(endpoint);
            if (lane != null) {
                lane.setRate(rateLimit);
                lane.averageMillis = 0;
                lane.timedSinceNanos = System.nanoTime();
            }
        }
    }

    /** Stops starting attempts (shutdown); waiting work stays leased and is released by the engine. */
    void stopStarting() {
        synchronized (lock) {
            starting = false;
            for (Lane lane : lanes.values()) {
                buffered -= lane.waiting.size();
                lane.waiting.clear();
            }
            waitingForGlobal.clear();
            lock.notifyAll();
        }
    }

    /** Waits until nothing is in flight or {@code grace} passed; true when idle. */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    private void finished(DeliveryJob job, AttemptEnd end) {
        List<DeliveryJob> toStart = null;
        boolean wakeClaimer = false;
        synchronized (lock) {
            inFlight--;
            Lane lane = lanes.get(job.endpointId());
            if (lane != null) {
                lane.inFlight--;
                switch (end) {
                    case AttemptEnd.Sent sent -> lane.setRate(sent.rateLimit());
                    case AttemptEnd.EndpointGone _ -> dropWaiting(lane);
                    case AttemptEnd.Broken _ -> {
                    }
                }
                if (lane.running.remove(job) && job.startedNanos() - lane.timedSinceNanos >= 0) {
                    lane.observe(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - job.startedNanos()));
                }
                toStart = pump(lane, toStart);
                if (lane.claimerWaits && queued(lane) <= laneQueueLimit / 2) {
                    lane.claimerWaits = false;
                    wakeClaimer = true;
                }
            }
            toStart = startWaitingForGlobal(toStart);
            if (inFlight == 0) {
                lock.notifyAll();
            }
            if (claimerWaitsForRoom && buffered + inFlight <= bufferLimit / 2) {
                claimerWaitsForRoom = false;
                wakeClaimer = true;
            }
        }
        startAll(toStart);
        if (wakeClaimer) {
            roomListener.run();
        }
    }

    /**
     * Moves as much of the lane's waiting work into flight as its limits allow; returns the jobs to start, or null when
     * there are none. Called under the lock.
     */
    private List<DeliveryJob> pump(Lane lane) {
        return pump(lane, null);
    }

    /**
     * As {@link #pump(Lane)}, adding the jobs to start to {@code toStart}, or to a new list when it is null (most
     * calls start nothing: a finished attempt's, say, and a list made for none was one per delivery); returns the
     * list. Called under the lock.
     */
    private List<DeliveryJob> pump(Lane lane, List<DeliveryJob> toStart) {
        while (starting && !lane.waiting.isEmpty() && lane.inFlight < settings.limits().maxConcurrencyPerEndpoint()) {
            if (!globalRoom()) {
                if (!lane.queuedForGlobal) {
                    lane.queuedForGlobal = true;
                    waitingForGlobal.add(lane);
                }
                break;
            }
            long wait = lane.bucket == null ? 0 : lane.bucket.tryTake();
            if (wait > 0) {
                scheduleWake(lane, wait);
                break;
            }
            DeliveryJob next = lane.waiting.poll();
            next.started(System.nanoTime());
            lane.running.add(next);
            if (toStart == null) {
                toStart = new ArrayList<>(2);
            }
            toStart.add(next);
            buffered--;
            lane.inFlight++;
            inFlight++;
        }
        dropIfIdle(lane);
        return toStart;
    }

    private void scheduleWake(Lane lane, long nanos) {
        if (lane.wakeScheduled) {
            return;
        }
        lane.wakeScheduled = true;
        timers.schedule(() -> {
            List<DeliveryJob> toStart;
            synchronized (lock) {
                lane.wakeScheduled = false;
                toStart = pump(lane);
            }
            startAll(toStart);
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /** Starts {@code jobs}; null is none. */
    private void startAll(List<DeliveryJob> jobs) {
        if (jobs == null) {
            return;
        }
        for (DeliveryJob job : jobs) {
            try {
                starter.start(job, whenFinished);
            } catch (RuntimeException e) {
                LOG.error("Dispatcher: could not start delivery {}; its lease will expire and it will be retried. "
                        + "Will keep running.", job.claimed().delivery().id(), e);
                finished(job, new AttemptEnd.Broken());
            }
        }
    }

    private Lane lane(EndpointId id, OptionalInt rateLimit) {
        Lane lane = lanes.computeIfAbsent(id, Lane::new);
        lane.setRate(rateLimit);
        return lane;
    }

    /** Drops an idle lane once more than {@link #LANES_KEPT} are kept. */
    private void dropIfIdle(Lane lane) {
        if (lanes.size() > LANES_KEPT && lane.inFlight == 0 && lane.reserved == 0 && lane.waiting.isEmpty()
                && !lane.wakeScheduled && !lane.queuedForGlobal) {
            lanes.remove(lane.id);
        }
    }

    /** One endpoint's share of the dispatcher; guarded by the dispatcher's lock. */
    private static final class Lane {
        final EndpointId id;
        final ArrayDeque<DeliveryJob> waiting = new ArrayDeque<>();
        int inFlight;
        int reserved;
        boolean queuedForGlobal;
        boolean wakeScheduled;
        /** The claimer left due work of this endpoint for want of room here, and waits for it to drain to half. */
        boolean claimerWaits;
        TokenBucket bucket;
        /** The requests in flight (at most the endpoint's concurrency), each with its start time. */
        final ArrayList<DeliveryJob> running = new ArrayList<>();
        /** Moving average of finished attempts' durations. */
        double averageMillis;
        /** Only requests started from here (the endpoint's last update) tell how fast the lane drains. */
        long timedSinceNanos = System.nanoTime();

        Lane(EndpointId id) {
            this.id = id;
        }

        void observe(long millis) {
            averageMillis = 0.8 * averageMillis + 0.2 * millis;
        }

        void setRate(OptionalInt rateLimit) {
            if (rateLimit.isEmpty()) {
                bucket = null;
            } else if (bucket == null || bucket.rate() != rateLimit.getAsInt()) {
                bucket = new TokenBucket(rateLimit.getAsInt());
            }
        }
    }
}

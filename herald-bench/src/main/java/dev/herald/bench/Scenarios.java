package dev.herald.bench;

import com.standardwebhooks.Webhook;
import dev.herald.bench.receiver.Receiver;
import dev.herald.bench.target.HeraldApi;
import dev.herald.bench.target.HeraldTarget;
import dev.herald.bench.target.LocalPostgresCpu;
import dev.herald.bench.target.ServedHistogram;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The Herald scenarios. They share one Herald (a fresh data directory or PostgreSQL schema) with
 * {@value #ENDPOINTS} endpoints on the bench's receiver, warmed up once until its JIT compilers went quiet, and
 * run in turn; each publishes through the real HTTP API and counts what the receiver confirms.
 */
final class Scenarios implements AutoCloseable {
    static final int ENDPOINTS = 100;
    static final int GROUPS = 10;

    private final Receiver receiver;
    private final HeraldTarget.Spec baseSpec;
    private final int concurrency;
    private final String filler;
    private final Duration warmUp;
    private final Consumer<String> log;
    private Session session;

    /** The shared Herald: its API client, the endpoints' ids, and each endpoint path's signing secret. */
    private record Session(HeraldTarget target, HeraldApi api, List<String> ids, Map<String, String> secrets,
                           Duration warmedUp) {
    }

    Scenarios(Receiver receiver, HeraldTarget.Spec baseSpec, int concurrency, String filler, Duration warmUp,
              Consumer<String> log) {
        this.receiver = receiver;
        this.baseSpec = baseSpec;
        this.concurrency = concurrency;
        this.filler = filler;
        this.warmUp = warmUp;
        this.log = log;
    }

    /** Event types of the destination runs' broker endpoints: {@code bench.d<i>} for endpoint i. */
    static final String DESTINATION_EVENT = "bench.d";

    /**
     * Event types the bench subscribes: one per endpoint (fan-out 1), one per group of ten (fan-out 10) and one for
     * the broker destinations.
     */
    static List<String> eventTypes() {
        var types = new ArrayList<String>();
        for (int i = 0; i < ENDPOINTS; i++) {
            types.add("bench.e" + i);
        }
        for (int g = 0; g < GROUPS; g++) {
            types.add("bench.g" + g);
        }
        for (int i = 0; i < ENDPOINTS; i++) {
            types.add(DESTINATION_EVENT + i);
        }
        return types;
    }

    /** What one throughput run measured. */
    /** Peak heap in use (garbage included) and peak live data left after a collection. */
    record HeapPeak(long used, long live) {
    }

    /**
     * @param allocatedBytes what Herald allocated during the run; -1 if unknown
     * @param statements     what Herald's store sent to the database during the run, by kind (empty if unknown)
     * @param storeServerCpu CPU time of the PostgreSQL server during the run, when it runs on this machine
     * @param writer         the store's write connection during the run, when it has one (SQLite)
     */
    record Throughput(long deliveries, long expected, double perSecond, Duration wall, Duration cpu,
                      long allocatedBytes, HeapPeak peakHeap, int signaturesChecked, int signaturesFailed,
                      Map<String, Long> statements, java.util.Optional<Duration> storeServerCpu,
                      java.util.Optional<HeraldTarget.WriterLoad> writer) {
        boolean complete() {
            return deliveries >= expected;
        }
    }

    /**
     * What the latency run measured: publish → first attempt in nanoseconds, publish → Herald's 202 answer (the
     * part of it spent publishing, stored and committed), and how late a 1 ms sleeper in the bench's JVM woke
     * meanwhile (nanoseconds; see {@link StallWatch}), and Herald's own histogram of the measured publishes
     * (arrival to answer, read from its {@code /metrics}).
     */
    record Latency(long[] nanos, long[] answerNanos, long events, long missing, long[] benchStalls,
                   ServedHistogram served) {
    }

    /**
     * What the outage run measured: events published while one endpoint's receiver was down, the requests that
     * endpoint received during the outage, how long after recovery its deliveries took to arrive, its deliveries
     * that failed for good (should be none), and how many of the other endpoints' deliveries arrived during the
     * outage, against those published to them.
     */
    record Outage(long published, long outageRequests, long delivered, Duration drain, int failed,
                  long othersDelivered, long othersExpected) {
    }

    /** What the FIFO run measured: deliveries that arrived at the FIFO endpoint, and their rate. */
    record Fifo(long delivered, long expected, double perSecond) {
    }

    /** What the backlog run measured. */
    record Backlog(long deliveries, long expected, double publishPerSecond, double drainPerSecond, HeapPeak peakHeap) {
    }

    /** What a destination run measured: deliveries the broker confirmed to Herald, and their rate. */
    record DestinationRun(long delivered, long expected, double perSecond) {
        boolean complete() {
            return delivered >= expected;
        }
    }

    /**
     * Publishes {@code events} at full speed to {@value #ENDPOINTS} new broker endpoints with the same config (one
     * shared broker connection), each event to one of them (fan-out 1, as in the HTTP runs), and waits until Herald
     * counts them delivered, each confirmed by the broker. The endpoints are disabled afterwards.
     */
    DestinationRun destination(String type, com.fasterxml.jackson.databind.node.ObjectNode config, int events,
                               Duration limit) {
        Session s = session();
        var endpoints = new ArrayList<String>();
        for (int i = 0; i < ENDPOINTS; i++) {
            endpoints.add(s.api().createDestination(type, config, List.of(DESTINATION_EVENT + i)).id());
        }
        try {
            double before = s.target().destinationDeliveries(type);
            long started = System.nanoTime();
            var publishes = new ArrayList<CompletableFuture<HeraldApi.Published>>(events);
            for (int i = 0; i < events; i++) {
                publishes.add(s.api().publish(HeraldApi.eventBody(DESTINATION_EVENT + (i % ENDPOINTS), i, filler)));
            }
            CompletableFuture.allOf(publishes.toArray(CompletableFuture[]::new)).join();
            long deadline = started + limit.toNanos();
            double delivered = s.target().destinationDeliveries(type) - before;
            while (delivered < events && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                delivered = s.target().destinationDeliveries(type) - before;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new DestinationRun((long) delivered, events, delivered / seconds);
        } finally {
            endpoints.forEach(id -> s.api().setStatus(id, "disabled"));
        }
    }

    /** How long the shared Herald was warmed up (zero before the first scenario). */
    Duration warmedUp() {
        return session == null ? Duration.ZERO : session.warmedUp();
    }

    /**
     * Publishes {@code events} at full speed and waits for their deliveries. With the never-answering endpoint,
     * the last endpoint is pointed at the receiver's path that holds requests without answering; afterwards it
     * is disabled (which cancels its pending work) and pointed back.
     */
    Throughput throughput(int events, int fanOut, boolean withNeverEndpoint, Duration limit) {
        return throughput(events, fanOut, 1, withNeverEndpoint, limit);
    }

    /** As above, publishing {@code perRequest} events per request ({@code POST /v1/events/batch} when above 1). */
    Throughput throughput(int events, int fanOut, int perRequest, boolean withNeverEndpoint, Duration limit) {
        Session s = session();
        var target = s.target();
        var api = s.api();
        String lastId = s.ids().getLast();
        if (withNeverEndpoint) {
            api.setUrlAndStatus(lastId, receiver.url(Receiver.NEVER_PREFIX + (ENDPOINTS - 1)), "active");
        }
        try (var heap = new HeapWatch(target)) {
            Map<String, String> secrets = s.secrets();
            receiver.reset();
            receiver.sampleEvery(Math.max(1, events * fanOut / 200), 200);
            // the /metrics scrape first, so that what rendering it allocates in Herald is not charged to the run
            var storeBefore = target.storeReading();
            Duration cpuBefore = target.cpuTime();
            var serverCpuBefore = storeServerCpu();
            long allocatedBefore = target.allocatedBytes();
            long started = System.nanoTime();
            var publishing = new Publishing(api, perRequest);
            for (int i = 0; i < events; i++) {
                int endpoint = i % ENDPOINTS;
                boolean toNever = withNeverEndpoint && endpoint == ENDPOINTS - 1;
                String type = fanOut == 1 ? "bench.e" + endpoint : "bench.g" + (i % GROUPS);
                publishing.publish(type, i, !toNever);
            }
            long expected = publishing.finish();
            log.accept(String.format("bench: published %,d events in %.1f s; %,d deliveries arrived so far", events,
                    (System.nanoTime() - started) / 1e9, receiver.distinctDeliveries()));
            long deadline = started + limit.toNanos();
            awaitCount(expected, deadline);
            long delivered = receiver.distinctDeliveries();
            long last = receiver.lastArrivalNanos();
            Duration wall = Duration.ofNanos(Math.max(1, last - started));
            Duration cpu = target.cpuTime().minus(cpuBefore);
            var serverCpuAfter = storeServerCpu();
            var serverCpu = serverCpuBefore.flatMap(b -> serverCpuAfter.map(a -> a.minus(b)));
            long allocatedAfter = target.allocatedBytes();
            long allocated = allocatedBefore < 0 || allocatedAfter < 0 ? -1 : allocatedAfter - allocatedBefore;
            var statements = new java.util.TreeMap<String, Long>();
            var storeAfter = target.storeReading();
            storeAfter.statements().forEach((kind, count) ->
                    statements.put(kind, count - storeBefore.statements().getOrDefault(kind, 0L)));
            var writer = storeBefore.writer().flatMap(b -> storeAfter.writer().map(a -> a.since(b)));
            int[] signatures = verify(receiver.samples(), secrets);
            log.accept(String.format("bench: fan-out %d%s%s: %,d of %,d deliveries in %.1f s (%,d requests received)",
                    fanOut, perRequest > 1 ? ", " + perRequest + " events per publish" : "",
                    withNeverEndpoint ? " with a dead endpoint" : "", delivered, expected,
                    wall.toMillis() / 1e3, receiver.requests()));
            return new Throughput(delivered, expected, delivered / (wall.toNanos() / 1e9), wall, cpu,
                    allocated, heap.peak(), signatures[0], signatures[1], statements, serverCpu, writer);
        } finally {
            if (withNeverEndpoint) {
                api.setStatus(lastId, "disabled");
                api.setUrlAndStatus(lastId, receiver.url("/ep/" + (ENDPOINTS - 1)), "active");
            }
        }
    }

    /** The local PostgreSQL server's CPU time so far; empty with SQLite or a server elsewhere. */
    private java.util.Optional<Duration> storeServerCpu() {
        return baseSpec.postgresUrl().flatMap(LocalPostgresCpu::read);
    }

    Latency latency(int rate, Duration length, Duration limit) {
        var target = session().target();
        var api = session().api();
        receiver.reset();
        receiver.recordArrivals(true);
        try (var stalls = new StallWatch()) {
            long events = rate * length.toSeconds();
            long unmeasured = events / 5; // the first fifth settles the open-loop pace
            long interval = 1_000_000_000L / rate;
            Map<String, Long> intendedByEvent = new ConcurrentHashMap<>();
            var answers = new ConcurrentLinkedQueue<Long>();
            var failure = new AtomicReference<Throwable>();
            CompletableFuture<ServedHistogram> servedBefore = null;
            long started = System.nanoTime();
            for (long i = 0; i < events; i++) {
                if (i == unmeasured) {
                    // read off the pacing thread, so the scrape cannot delay a send
                    servedBefore = CompletableFuture.supplyAsync(target::publishesServed);
                }
                // Open loop: each event has a fixed send time; latency counts from it, so a slow publish
                // answer cannot hide queueing (no coordinated omission).
                long intended = started + i * interval;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                boolean measured = i >= unmeasured;
                api.publish(HeraldApi.eventBody("bench.e" + (i % ENDPOINTS), i, filler)).whenComplete((p, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else if (measured) {
                        answers.add(System.nanoTime() - intended);
                        intendedByEvent.put(p.eventId(), intended);
                    }
                });
            }
            api.drain();
            if (failure.get() != null) {
                throw new IllegalStateException("bench: publish failed", failure.get());
            }
            ServedHistogram served = target.publishesServed().since(servedBefore.join());
            awaitCount(events, started + limit.toNanos());
            long[] benchStalls = stalls.stop();
            var latencies = new ArrayList<Long>(intendedByEvent.size());
            long missing = 0;
            for (var entry : intendedByEvent.entrySet()) {
                var arrived = receiver.firstArrivalNanos(entry.getKey());
                if (arrived.isPresent()) {
                    latencies.add(arrived.get() - entry.getValue());
                } else {
                    missing++;
                }
            }
            log.accept(String.format("bench: latency run: %,d events at %d/s, %,d measured, %,d missing",
                    events, rate, latencies.size(), missing));
            return new Latency(latencies.stream().mapToLong(Long::longValue).toArray(),
                    answers.stream().mapToLong(Long::longValue).toArray(), events, missing, benchStalls, served);
        } finally {
            receiver.recordArrivals(false);
        }
    }

    /**
     * A receiver down for {@code length} while events are published at {@code rate}/s: a new endpoint under the
     * receiver's outage path subscribes to every fan-out 1 type, so each event goes to it and to one of the
     * {@value #ENDPOINTS} healthy endpoints. Its own retry schedule probes every {@code length / 10} (1 s to 60 s,
     * 20 attempts), so the breaker's next probe comes soon after recovery; the drain time counts from recovery, so
     * it includes waiting for that probe. The endpoint is disabled afterwards.
     */
    Outage outage(int rate, Duration length, Duration limit) {
        Session s = session();
        var api = s.api();
        long probeSeconds = Math.clamp(length.toSeconds() / 10, 1, 60);
        var schedule = new ArrayList<Long>();
        schedule.add(0L);
        while (schedule.size() < 20) {
            schedule.add(probeSeconds);
        }
        var types = new ArrayList<String>();
        for (int i = 0; i < ENDPOINTS; i++) {
            types.add("bench.e" + i);
        }
        String id = api.createWebhook(receiver.url(Receiver.OUTAGE_PREFIX + "0"), types, schedule).id();
        try {
            receiver.reset();
            receiver.setOutage(true);
            long events = rate * length.toSeconds();
            long interval = 1_000_000_000L / rate;
            var publishing = new Publishing(api);
            long started = System.nanoTime();
            for (long i = 0; i < events; i++) {
                long wait = started + i * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                publishing.publish("bench.e" + (i % ENDPOINTS), i, true);
            }
            long expected = publishing.finish();
            long outageLeft = started + length.toNanos() - System.nanoTime();
            if (outageLeft > 0) {
                LockSupport.parkNanos(outageLeft);
            }
            long othersDelivered = receiver.distinctDeliveries() - receiver.outageDeliveries();
            long outageRequests = receiver.requestsDuringOutage();
            receiver.setOutage(false);
            long recovered = System.nanoTime();
            log.accept(String.format("bench: outage of %d s: %,d events published, %,d requests to the down "
                            + "receiver, %,d of %,d deliveries to the other endpoints arrived meanwhile",
                    length.toSeconds(), events, outageRequests, othersDelivered, expected / 2));
            long deadline = recovered + limit.toNanos();
            while ((receiver.outageDeliveries() < events || receiver.distinctDeliveries() < expected)
                    && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            long delivered = receiver.outageDeliveries();
            Duration drain = Duration.ofNanos(Math.max(0, receiver.lastOutageArrivalNanos() - recovered));
            int failed = api.failedDeliveries(id);
            log.accept(String.format("bench: after recovery %,d of %,d held deliveries arrived in %.1f s; %d failed; "
                    + "webhook now %s", delivered, events, drain.toMillis() / 1e3, failed, api.webhook(id)));
            return new Outage(events, outageRequests, delivered, drain, failed, othersDelivered, expected - events);
        } finally {
            receiver.setOutage(false);
            api.setStatus(id, "disabled");
        }
    }

    /**
     * A FIFO endpoint whose receiver answers after 1 ms: {@code events} published at full speed to it (type
     * {@code bench.e0}, which endpoint 0 receives too), and the rate at which they arrive there, one at a time. The
     * endpoint is disabled afterwards.
     */
    Fifo fifo(int events, Duration limit) {
        Session s = session();
        var api = s.api();
        String id = api.createFifoWebhook(receiver.url(Receiver.ONE_MS_PREFIX + "fifo"), List.of("bench.e0")).id();
        try {
            receiver.reset();
            long started = System.nanoTime();
            var publishing = new Publishing(api);
            for (int i = 0; i < events; i++) {
                publishing.publish("bench.e0", i, true);
            }
            publishing.finish();
            long deadline = started + limit.toNanos();
            while (receiver.fifoDeliveries() < events && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
            long delivered = receiver.fifoDeliveries();
            Duration wall = Duration.ofNanos(Math.max(1, receiver.lastFifoArrivalNanos() - started));
            log.accept(String.format("bench: FIFO: %,d of %,d deliveries in %.1f s", delivered, events,
                    wall.toMillis() / 1e3));
            return new Fifo(delivered, events, delivered / (wall.toNanos() / 1e9));
        } finally {
            api.setStatus(id, "disabled");
        }
    }

    Backlog backlog(int deliveries, Duration limit) {
        Session s = session();
        var api = s.api();
        try (var heap = new HeapWatch(s.target())) {
            List<String> ids = s.ids();
            for (String id : ids) {
                api.setStatus(id, "paused");
            }
            receiver.reset();
            int events = deliveries / GROUPS;
            var publishing = new Publishing(api);
            long publishStarted = System.nanoTime();
            for (int i = 0; i < events; i++) {
                publishing.publish("bench.g" + (i % GROUPS), i, true);
            }
            long expected = publishing.finish();
            double publishRate = expected / ((System.nanoTime() - publishStarted) / 1e9);
            log.accept(String.format("bench: backlog of %,d deliveries published (%,.0f/s); %,d arrived while paused",
                    expected, publishRate, receiver.distinctDeliveries()));
            long resumed = System.nanoTime();
            for (String id : ids) {
                api.setStatus(id, "active");
            }
            awaitCount(expected, resumed + limit.toNanos());
            long delivered = receiver.distinctDeliveries();
            Duration wall = Duration.ofNanos(Math.max(1, receiver.lastArrivalNanos() - resumed));
            log.accept(String.format("bench: backlog drained %,d of %,d in %.1f s", delivered, expected,
                    wall.toMillis() / 1e3));
            return new Backlog(delivered, expected, publishRate, delivered / (wall.toNanos() / 1e9), heap.peak());
        }
    }

    /**
     * Publishes at full speed until Herald's JIT compilers have gone quiet (on two cores compiling the hot paths
     * takes the better part of a minute, and competes with the work) or the warm-up limit passes, and waits for
     * those deliveries, so the measured run sees Herald as a long-running server would (the HTTP ceiling warms
     * its client up the same way); then forgets what the receiver counted.
     */
    private Duration warmUp(HeraldTarget target, HeraldApi api) {
        receiver.reset();
        if (warmUp.isZero()) {
            return Duration.ZERO;
        }
        long started = System.nanoTime();
        long until = started + warmUp.toNanos();
        var steadiness = new Steadiness(started, target.compilationMillis());
        long window = Duration.ofSeconds(Steadiness.WINDOW_SECONDS).toNanos();
        long nextCheck = started + window;
        var publishing = new Publishing(api);
        for (int i = 0; ; i++) {
            long now = System.nanoTime();
            if (now >= until) {
                break;
            }
            if (now >= nextCheck) {
                nextCheck = now + window; // one /metrics scrape per window
                if (steadiness.steady(now, target.compilationMillis())) {
                    break;
                }
            }
            // both shapes the scenarios measure: one delivery per event and ten per event
            String type = i % 2 == 0 ? "bench.e" + (i / 2 % ENDPOINTS) : "bench.g" + (i / 2 % GROUPS);
            publishing.publish(type, -1 - i, true);
        }
        awaitCount(publishing.finish(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.accept(String.format("bench: warmed up for %.1f s (%,d deliveries; JIT share per %d s window: %s)",
                took.toMillis() / 1e3, receiver.distinctDeliveries(), Steadiness.WINDOW_SECONDS, steadiness.shares()));
        receiver.reset();
        return took;
    }

    /**
     * Judges warm-up by how much of each window Herald's JIT compilers spent compiling: warm once
     * {@value #QUIET_WINDOWS} windows in a row, after the first {@value #MIN_WINDOWS}, stayed under
     * {@value #QUIET_SHARE} of the window (a few late compilations go on for minutes and do not matter).
     */
    static final class Steadiness {
        static final int WINDOW_SECONDS = 3;
        static final int MIN_WINDOWS = 3;
        static final int QUIET_WINDOWS = 2;
        static final double QUIET_SHARE = 0.05;
        private final List<Double> shares = new ArrayList<>();
        private long windowStart;
        private long compiledAtWindowStart;
        private int quietWindows;

        Steadiness(long startNanos, long compilationMillis) {
            this.windowStart = startNanos;
            this.compiledAtWindowStart = compilationMillis;
        }

        /** Called with the time and the JIT's total compilation time so far; true once the JIT is quiet. */
        boolean steady(long nowNanos, long compilationMillis) {
            long elapsed = nowNanos - windowStart;
            if (elapsed < Duration.ofSeconds(WINDOW_SECONDS).toNanos()) {
                return false;
            }
            if (compilationMillis < 0 || compiledAtWindowStart < 0) {
                return false; // unknown: the warm-up limit decides
            }
            double share = (compilationMillis - compiledAtWindowStart) / (elapsed / 1e6);
            shares.add(share);
            windowStart = nowNanos;
            compiledAtWindowStart = compilationMillis;
            quietWindows = shares.size() > MIN_WINDOWS && share < QUIET_SHARE ? quietWindows + 1 : 0;
            return quietWindows >= QUIET_WINDOWS;
        }

        String shares() {
            return shares.stream().map(r -> String.format("%.0f%%", 100 * r))
                    .collect(java.util.stream.Collectors.joining(" "));
        }
    }

    private Session session() {
        if (session == null) {
            Path dir = baseSpec.workDirectory().resolve("herald");
            var spec = new HeraldTarget.Spec(baseSpec.mode(), dir, baseSpec.postgresUrl(), baseSpec.eventTypes(),
                    baseSpec.extraConfig(), baseSpec.jvmOptions());
            var target = HeraldTarget.start(spec);
            log.accept(String.format("bench: Herald ready in %d ms (%s)", target.startup().toMillis(),
                    target.describe()));
            HeraldApi api = null;
            try {
                api = new HeraldApi(target.baseUrl(), target.apiKey(), concurrency);
                var ids = new ArrayList<String>();
                var secrets = new HashMap<String, String>();
                for (int i = 0; i < ENDPOINTS; i++) {
                    String path = "/ep/" + i;
                    var webhook = api.createWebhook(receiver.url(path), List.of("bench.e" + i, "bench.g" + (i % GROUPS)));
                    ids.add(webhook.id());
                    secrets.put(path, webhook.secret());
                }
                Duration warmedUp = warmUp(target, api);
                session = new Session(target, api, List.copyOf(ids), Map.copyOf(secrets), warmedUp);
            } catch (RuntimeException e) {
                if (api != null) {
                    api.close();
                }
                target.close();
                throw e;
            }
        }
        return session;
    }

    @Override
    public void close() {
        if (session != null) {
            session.api().close();
            session.target().close();
            session = null;
        }
    }

    /**
     * Publishes events through the API at full speed, one per request or {@code perRequest} per batch request, and
     * adds up the deliveries Herald reports for them. Events of a batch that count are not mixed with those that do
     * not (a batch is sent early rather than mixing them).
     */
    private final class Publishing {
        private final HeraldApi api;
        private final int perRequest;
        private final AtomicLong expected = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final List<CompletableFuture<?>> counted = new ArrayList<>();
        private final List<byte[]> batch = new ArrayList<>();
        private boolean batchCounts = true;

        Publishing(HeraldApi api) {
            this(api, 1);
        }

        Publishing(HeraldApi api, int perRequest) {
            this.api = api;
            this.perRequest = perRequest;
        }

        /** Publishes once a slot is free; the event's deliveries are expected unless {@code counts} is false. */
        void publish(String type, long n, boolean counts) {
            throwIfFailed();
            if (perRequest > 1) {
                if (!batch.isEmpty() && batchCounts != counts) {
                    sendBatch();
                }
                batchCounts = counts;
                batch.add(HeraldApi.eventBody(type, n, filler));
                if (batch.size() == perRequest) {
                    sendBatch();
                }
                return;
            }
            counted.add(api.publish(HeraldApi.eventBody(type, n, filler)).whenComplete((published, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (counts) {
                    expected.addAndGet(published.deliveries());
                }
            }));
        }

        private void sendBatch() {
            boolean counts = batchCounts;
            counted.add(api.publishBatch(List.copyOf(batch)).whenComplete((deliveries, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (counts) {
                    expected.addAndGet(deliveries);
                }
            }));
            batch.clear();
        }

        /**
         * Waits for every answer and returns the deliveries expected. It waits for the counting callbacks, not
         * only the requests: the load client frees its slot before a caller's dependent stage runs, so
         * {@code drain()} alone can return with the last counts still missing.
         */
        long finish() {
            if (!batch.isEmpty()) {
                sendBatch();
            }
            api.drain();
            CompletableFuture.allOf(counted.toArray(CompletableFuture[]::new)).exceptionally(error -> null).join();
            throwIfFailed();
            return expected.get();
        }

        private void throwIfFailed() {
            if (failure.get() != null) {
                throw new IllegalStateException("bench: publish failed", failure.get());
            }
        }
    }

    private void awaitCount(long expected, long deadlineNanos) {
        while (receiver.distinctDeliveries() < expected && System.nanoTime() < deadlineNanos) {
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }

    /** Checks sampled deliveries with the independent Standard Webhooks verifier; returns {checked, failed}. */
    private static int[] verify(List<Receiver.Sample> samples, Map<String, String> secrets) {
        int failed = 0;
        for (var sample : samples) {
            try {
                new Webhook(secrets.get(sample.path())).verify(sample.body(), sample.headers());
            } catch (Exception e) {
                failed++;
            }
        }
        return new int[]{samples.size(), failed};
    }

    /** Samples Herald's heap twice a second and keeps the peaks of heap in use and of live data after GC. */
    private static final class HeapWatch implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong peakLive = new AtomicLong();
        private final Thread thread;

        HeapWatch(HeraldTarget target) {
            this.thread = Thread.ofPlatform().daemon().name("bench-heap").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    var reading = target.heap();
                    peak.accumulateAndGet(reading.usedBytes(), Math::max);
                    peakLive.accumulateAndGet(reading.liveBytes(), Math::max);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        HeapPeak peak() {
            return new HeapPeak(peak.get(), peakLive.get());
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}

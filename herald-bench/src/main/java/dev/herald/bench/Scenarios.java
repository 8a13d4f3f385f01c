package dev.herald.bench;

import com.standardwebhooks.Webhook;
import dev.herald.bench.receiver.Receiver;
import dev.herald.bench.target.HeraldApi;
import dev.herald.bench.target.HeraldTarget;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The Herald scenarios: each starts a fresh Herald, subscribes {@value #ENDPOINTS} endpoints on the bench's
 * receiver, publishes through the real HTTP API and counts what the receiver confirms.
 */
final class Scenarios {
    static final int ENDPOINTS = 100;
    static final int GROUPS = 10;

    private final Receiver receiver;
    private final HeraldTarget.Spec baseSpec;
    private final int concurrency;
    private final String filler;
    private final Duration warmUp;
    private final Consumer<String> log;
    private int runs;

    Scenarios(Receiver receiver, HeraldTarget.Spec baseSpec, int concurrency, String filler, Duration warmUp,
              Consumer<String> log) {
        this.receiver = receiver;
        this.baseSpec = baseSpec;
        this.concurrency = concurrency;
        this.filler = filler;
        this.warmUp = warmUp;
        this.log = log;
    }

    /** Event types the bench subscribes: one per endpoint (fan-out 1) and one per group of ten (fan-out 10). */
    static List<String> eventTypes() {
        var types = new ArrayList<String>();
        for (int i = 0; i < ENDPOINTS; i++) {
            types.add("bench.e" + i);
        }
        for (int g = 0; g < GROUPS; g++) {
            types.add("bench.g" + g);
        }
        return types;
    }

    /** What one throughput run measured. */
    record Throughput(long deliveries, long expected, double perSecond, Duration wall, Duration cpu, long peakHeap,
                      int signaturesChecked, int signaturesFailed, Duration startup) {
        boolean complete() {
            return deliveries >= expected;
        }
    }

    /** What the latency run measured: publish → first attempt in nanoseconds, and publish rate achieved. */
    record Latency(long[] nanos, long events, long missing) {
    }

    /** What the backlog run measured. */
    record Backlog(long deliveries, long expected, double publishPerSecond, double drainPerSecond, long peakHeap,
                   Duration drainWall) {
    }

    Throughput throughput(int events, int fanOut, boolean withNeverEndpoint, Duration limit) {
        try (var target = start("throughput-f" + fanOut + (withNeverEndpoint ? "-isolation" : ""));
             var api = new HeraldApi(target.baseUrl(), target.apiKey(), concurrency);
             var heap = new HeapWatch(target)) {
            Map<String, String> secrets = subscribe(api, withNeverEndpoint);
            warmUp(api, fanOut, withNeverEndpoint);
            receiver.sampleEvery(Math.max(1, events * fanOut / 200), 200);
            Duration cpuBefore = target.cpuTime();
            long started = System.nanoTime();
            var expected = new AtomicLong();
            var failure = new AtomicReference<Throwable>();
            var counted = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
            for (int i = 0; i < events; i++) {
                int endpoint = i % ENDPOINTS;
                boolean toNever = withNeverEndpoint && endpoint == ENDPOINTS - 1;
                String type = fanOut == 1 ? "bench.e" + endpoint : "bench.g" + (i % GROUPS);
                counted.add(api.publish(HeraldApi.eventBody(type, i, filler)).whenComplete((published, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else if (!toNever) {
                        expected.addAndGet(published.deliveries());
                    }
                }));
                if (failure.get() != null) {
                    throw new IllegalStateException("bench: publish failed", failure.get());
                }
            }
            api.drain();
            awaitAll(counted);
            if (failure.get() != null) {
                throw new IllegalStateException("bench: publish failed", failure.get());
            }
            log.accept(String.format("bench: published %,d events in %.1f s; %,d deliveries arrived so far", events,
                    (System.nanoTime() - started) / 1e9, receiver.distinctDeliveries()));
            long deadline = started + limit.toNanos();
            awaitCount(expected.get(), deadline);
            long delivered = receiver.distinctDeliveries();
            long last = receiver.lastArrivalNanos();
            Duration wall = Duration.ofNanos(Math.max(1, last - started));
            Duration cpu = target.cpuTime().minus(cpuBefore);
            int[] signatures = verify(receiver.samples(), secrets);
            log.accept(String.format("bench: fan-out %d%s: %,d of %,d deliveries in %.1f s (%,d requests received)",
                    fanOut, withNeverEndpoint ? " with a dead endpoint" : "", delivered, expected.get(),
                    wall.toMillis() / 1e3, receiver.requests()));
            return new Throughput(delivered, expected.get(), delivered / (wall.toNanos() / 1e9), wall, cpu,
                    heap.peak(), signatures[0], signatures[1], target.startup());
        }
    }

    Latency latency(int rate, Duration length, Duration limit) {
        try (var target = start("latency");
             var api = new HeraldApi(target.baseUrl(), target.apiKey(), concurrency)) {
            subscribe(api, false);
            warmUp(api, 1, false);
            receiver.recordArrivals(true);
            try {
                long events = rate * length.toSeconds();
                long warmUp = events / 5;
                long interval = 1_000_000_000L / rate;
                Map<String, Long> intendedByEvent = new ConcurrentHashMap<>();
                var failure = new AtomicReference<Throwable>();
                long started = System.nanoTime();
                for (long i = 0; i < events; i++) {
                    // Open loop: each event has a fixed send time; latency counts from it, so a slow publish
                    // answer cannot hide queueing (no coordinated omission).
                    long intended = started + i * interval;
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    boolean measured = i >= warmUp;
                    api.publish(HeraldApi.eventBody("bench.e" + (i % ENDPOINTS), i, filler)).whenComplete((p, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        } else if (measured) {
                            intendedByEvent.put(p.eventId(), intended);
                        }
                    });
                }
                api.drain();
                if (failure.get() != null) {
                    throw new IllegalStateException("bench: publish failed", failure.get());
                }
                awaitCount(events, started + limit.toNanos());
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
                return new Latency(latencies.stream().mapToLong(Long::longValue).toArray(), events, missing);
            } finally {
                receiver.recordArrivals(false);
            }
        }
    }

    Backlog backlog(int deliveries, Duration limit) {
        try (var target = start("backlog");
             var api = new HeraldApi(target.baseUrl(), target.apiKey(), concurrency);
             var heap = new HeapWatch(target)) {
            List<String> ids = new ArrayList<>(subscribeIds(api));
            for (String id : ids) {
                api.setStatus(id, "paused");
            }
            receiver.reset();
            int events = deliveries / GROUPS;
            var expected = new AtomicLong();
            var failure = new AtomicReference<Throwable>();
            var counted = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
            long publishStarted = System.nanoTime();
            for (int i = 0; i < events; i++) {
                counted.add(api.publish(HeraldApi.eventBody("bench.g" + (i % GROUPS), i, filler)).whenComplete((p, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        expected.addAndGet(p.deliveries());
                    }
                }));
            }
            api.drain();
            awaitAll(counted);
            if (failure.get() != null) {
                throw new IllegalStateException("bench: publish failed", failure.get());
            }
            double publishRate = expected.get() / ((System.nanoTime() - publishStarted) / 1e9);
            log.accept(String.format("bench: backlog of %,d deliveries published (%,.0f/s); %,d arrived while paused",
                    expected.get(), publishRate, receiver.distinctDeliveries()));
            long resumed = System.nanoTime();
            for (String id : ids) {
                api.setStatus(id, "active");
            }
            awaitCount(expected.get(), resumed + limit.toNanos());
            long delivered = receiver.distinctDeliveries();
            Duration wall = Duration.ofNanos(Math.max(1, receiver.lastArrivalNanos() - resumed));
            log.accept(String.format("bench: backlog drained %,d of %,d in %.1f s", delivered, expected.get(),
                    wall.toMillis() / 1e3));
            return new Backlog(delivered, expected.get(), publishRate, delivered / (wall.toNanos() / 1e9), heap.peak(),
                    wall);
        }
    }

    /**
     * Publishes at full speed until Herald's delivery rate stops rising (the JIT has compiled the hot paths; on
     * two cores that takes the better part of a minute) or the warm-up limit passes, and waits for those
     * deliveries, so the measured run sees Herald as a long-running server would (the HTTP ceiling warms its
     * client up the same way); then forgets what the receiver counted.
     */
    private void warmUp(HeraldApi api, int fanOut, boolean withNeverEndpoint) {
        receiver.reset();
        if (warmUp.isZero()) {
            return;
        }
        long started = System.nanoTime();
        long until = started + warmUp.toNanos();
        var steadiness = new Steadiness(started);
        var expected = new AtomicLong();
        var failure = new AtomicReference<Throwable>();
        var counted = new ArrayList<java.util.concurrent.CompletableFuture<?>>();
        for (int i = 0; failure.get() == null; i++) {
            long now = System.nanoTime();
            if (now >= until || steadiness.steady(now, receiver.distinctDeliveries())) {
                break;
            }
            int endpoint = i % ENDPOINTS;
            boolean toNever = withNeverEndpoint && endpoint == ENDPOINTS - 1;
            String type = fanOut == 1 ? "bench.e" + endpoint : "bench.g" + (i % GROUPS);
            counted.add(api.publish(HeraldApi.eventBody(type, -1 - i, filler)).whenComplete((published, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                } else if (!toNever) {
                    expected.addAndGet(published.deliveries());
                }
            }));
        }
        api.drain();
        awaitAll(counted);
        if (failure.get() != null) {
            throw new IllegalStateException("bench: warm-up publish failed", failure.get());
        }
        awaitCount(expected.get(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
        log.accept(String.format("bench: warmed up for %.1f s (%,d deliveries; rate per %d s window: %s)",
                (System.nanoTime() - started) / 1e9, receiver.distinctDeliveries(), Steadiness.WINDOW_SECONDS,
                steadiness.rates()));
        receiver.reset();
    }

    /**
     * Judges warm-up by the delivery rate in consecutive windows: steady once two windows in a row, after the
     * first {@value #MIN_WINDOWS}, are not more than 3 % faster than the best window before them.
     */
    static final class Steadiness {
        static final int WINDOW_SECONDS = 3;
        static final int MIN_WINDOWS = 4;
        private final List<Double> rates = new ArrayList<>();
        private long windowStart;
        private long countAtWindowStart;
        private int flatWindows;

        Steadiness(long startNanos) {
            this.windowStart = startNanos;
        }

        /** Called with the time and the deliveries counted so far; true once the rate has stopped rising. */
        boolean steady(long nowNanos, long delivered) {
            long elapsed = nowNanos - windowStart;
            if (elapsed < Duration.ofSeconds(WINDOW_SECONDS).toNanos()) {
                return false;
            }
            double rate = (delivered - countAtWindowStart) / (elapsed / 1e9);
            double bestBefore = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            rates.add(rate);
            windowStart = nowNanos;
            countAtWindowStart = delivered;
            flatWindows = rates.size() > MIN_WINDOWS && rate <= bestBefore * 1.03 ? flatWindows + 1 : 0;
            return flatWindows >= 2;
        }

        String rates() {
            return rates.stream().map(r -> String.format("%,.0f", r)).collect(java.util.stream.Collectors.joining(" "));
        }
    }

    private HeraldTarget start(String name) {
        runs++;
        Path dir = baseSpec.workDirectory().resolve(runs + "-" + name);
        var spec = new HeraldTarget.Spec(baseSpec.mode(), dir, baseSpec.postgresUrl(), baseSpec.eventTypes(),
                baseSpec.extraConfig(), baseSpec.jvmOptions());
        var target = HeraldTarget.start(spec);
        log.accept(String.format("bench: %s: Herald ready in %d ms (%s)", name, target.startup().toMillis(),
                target.describe()));
        return target;
    }

    /** Creates the endpoints; returns path → secret for signature checks. */
    private Map<String, String> subscribe(HeraldApi api, boolean withNeverEndpoint) {
        var secrets = new HashMap<String, String>();
        for (int i = 0; i < ENDPOINTS; i++) {
            boolean never = withNeverEndpoint && i == ENDPOINTS - 1;
            String path = (never ? Receiver.NEVER_PREFIX : "/ep/") + i;
            var webhook = api.createWebhook(receiver.url(path), List.of("bench.e" + i, "bench.g" + (i % GROUPS)));
            secrets.put(path, webhook.secret());
        }
        return secrets;
    }

    private List<String> subscribeIds(HeraldApi api) {
        var ids = new ArrayList<String>();
        for (int i = 0; i < ENDPOINTS; i++) {
            ids.add(api.createWebhook(receiver.url("/ep/" + i), List.of("bench.e" + i, "bench.g" + (i % GROUPS))).id());
        }
        return ids;
    }

    /**
     * Waits for the callbacks that count each publish's deliveries: the load client frees its slot before a
     * caller's dependent stage runs, so {@code drain()} alone can return with the last counts still missing.
     */
    private static void awaitAll(java.util.List<java.util.concurrent.CompletableFuture<?>> counted) {
        java.util.concurrent.CompletableFuture.allOf(counted.toArray(java.util.concurrent.CompletableFuture[]::new))
                .exceptionally(error -> null)
                .join();
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

    /** Samples Herald's heap four times a second and keeps the peak. */
    private static final class HeapWatch implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;

        HeapWatch(HeraldTarget target) {
            this.thread = Thread.ofPlatform().daemon().name("bench-heap").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(target.heapUsedBytes(), Math::max);
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}

package dev.herald.bench.receiver;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench's webhook receiver on 127.0.0.1: answers 200 at once (or after a fixed delay, or 500 for a share of
 * requests, or never under {@code /never/}), counts deliveries once per {@code webhook-id} and path, and records
 * the first arrival of each {@code webhook-id} for latency.
 */
public final class Receiver implements AutoCloseable {
    /** Path prefix of the endpoint that accepts connections and never answers. */
    public static final String NEVER_PREFIX = "/never/";
    /** Paths under it answer after 1 ms, whatever the receiver's delay: a fixed round trip for the FIFO run. */
    public static final String ONE_MS_PREFIX = "/1ms/";
    /** Paths under it answer 503 while an outage is on ({@link #setOutage}), and as any other path otherwise. */
    public static final String OUTAGE_PREFIX = "/outage/";

    private final Server server;
    private final ServerConnector connector;
    private final ReceiverBehaviour behaviour;
    private final ScheduledExecutorService delays;
    private final Set<String> seen = ConcurrentHashMap.newKeySet(1 << 16);
    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>(1 << 16);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong outageRequests = new AtomicLong();
    private final Set<String> outageSeen = ConcurrentHashMap.newKeySet();
    private final Set<String> oneMsSeen = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastOneMsArrivalNanos = new AtomicLong();
    private final AtomicLong lastOutageArrivalNanos = new AtomicLong();
    private volatile boolean outage;
    private final AtomicLong lastArrivalNanos = new AtomicLong();
    /** Answers for the requests held under {@link #NEVER_PREFIX}, sent only when the receiver closes. */
    private final Queue<Runnable> neverAnswered = new ConcurrentLinkedQueue<>();
    private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicLong sampled = new AtomicLong();
    private volatile boolean recordArrivals;
    private volatile int sampleEvery = 1000;
    private volatile int maxSamples = 50;

    private Receiver(ReceiverBehaviour behaviour) {
        this.behaviour = behaviour;
        var loopback = LoopbackServer.create("receiver", 64, new ReceiveHandler());
        this.server = loopback.server();
        this.connector = loopback.connector();
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        this.delays = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("receiver-delay").factory());
    }

    /** A delivery as the receiver saw it, kept for signature checks on a sample. */
    public record Sample(String path, String body, Map<String, List<String>> headers) {
    }

    public static Receiver start(ReceiverBehaviour behaviour) {
        var receiver = new Receiver(behaviour);
        try {
            receiver.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("receiver: cannot start", e);
        }
        return receiver;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Distinct deliveries seen (webhook-id × path); retries of the same delivery count once. */
    public long distinctDeliveries() {
        return seen.size();
    }

    /** Every request answered or held, duplicates and errors included. */
    public long requests() {
        return requests.get();
    }

    public long lastArrivalNanos() {
        return lastArrivalNanos.get();
    }

    public Optional<Long> firstArrivalNanos(String webhookId) {
        return Optional.ofNullable(firstArrival.get(webhookId));
    }

    public void recordArrivals(boolean on) {
        this.recordArrivals = on;
    }

    public void sampleEvery(int every, int max) {
        this.sampleEvery = Math.max(1, every);
        this.maxSamples = max;
    }

    public List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    public void setPaused(boolean paused) {
        behaviour.setPaused(paused);
    }

    /** Starts or ends an outage of the paths under {@link #OUTAGE_PREFIX}. */
    public void setOutage(boolean on) {
        outage = on;
    }

    /** Requests that arrived under {@link #OUTAGE_PREFIX} while an outage was on (since the last reset). */
    public long requestsDuringOutage() {
        return outageRequests.get();
    }

    /** Distinct deliveries that arrived under {@link #OUTAGE_PREFIX} (answered 200, so after the outage). */
    public long outageDeliveries() {
        return outageSeen.size();
    }

    /** Distinct deliveries that arrived under {@link #ONE_MS_PREFIX}. */
    public long fifoDeliveries() {
        return oneMsSeen.size();
    }

    /** When the last delivery under {@link #ONE_MS_PREFIX} arrived ({@link System#nanoTime()}). */
    public long lastFifoArrivalNanos() {
        return lastOneMsArrivalNanos.get();
    }

    /** When the last delivery under {@link #OUTAGE_PREFIX} arrived ({@link System#nanoTime()}). */
    public long lastOutageArrivalNanos() {
        return lastOutageArrivalNanos.get();
    }

    /** Forgets everything counted so far, so the next scenario starts from zero. */
    public void reset() {
        seen.clear();
        firstArrival.clear();
        samples.clear();
        sampled.set(0);
        requests.set(0);
        outageRequests.set(0);
        outageSeen.clear();
        oneMsSeen.clear();
        lastOneMsArrivalNanos.set(0);
        lastOutageArrivalNanos.set(0);
        lastArrivalNanos.set(0);
    }

    @Override
    public void close() {
        Runnable held;
        while ((held = neverAnswered.poll()) != null) {
            held.run();
        }
        delays.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            // Best effort: the process is ending the scenario anyway.
        }
    }

    /**
     * Reads the small body on a pool thread (blocking is fine: it has arrived with the headers) rather than through
     * async demand callbacks, which stalled some requests for seconds under load.
     */
    private final class ReceiveHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            long arrived = System.nanoTime();
            requests.incrementAndGet();
            String path = Request.getPathInContext(request);
            if (path.startsWith(NEVER_PREFIX)) {
                Content.Source.consumeAll(request);
                neverAnswered.add(() -> {
                    response.setStatus(503);
                    response.write(true, null, callback);
                });
                return true;
            }
            String webhookId = request.getHeaders().get("webhook-id");
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            int status = behaviour.statusFor(ThreadLocalRandom.current().nextDouble());
            if (outage && path.startsWith(OUTAGE_PREFIX)) {
                outageRequests.incrementAndGet();
                status = 503;
            }
            if (status == 200 && webhookId != null) {
                count(webhookId, path, arrived);
                if ((sampled.incrementAndGet() - 1) % sampleEvery == 0 && samples.size() < maxSamples) {
                    samples.add(new Sample(path, body, headersOf(request)));
                }
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            long delayMillis = path.startsWith(ONE_MS_PREFIX) ? 1 : behaviour.delayMillis();
            if (delayMillis > 0) {
                delays.schedule(callback::succeeded, delayMillis, TimeUnit.MILLISECONDS);
            } else {
                callback.succeeded();
            }
            return true;
        }

        private void count(String webhookId, String path, long arrived) {
            seen.add(webhookId + path);
            lastArrivalNanos.accumulateAndGet(arrived, Math::max);
            if (path.startsWith(ONE_MS_PREFIX)) {
                oneMsSeen.add(webhookId);
                lastOneMsArrivalNanos.accumulateAndGet(arrived, Math::max);
            }
            if (path.startsWith(OUTAGE_PREFIX)) {
                outageSeen.add(webhookId);
                lastOutageArrivalNanos.accumulateAndGet(arrived, Math::max);
            }
            if (recordArrivals) {
                firstArrival.putIfAbsent(webhookId, arrived);
            }
        }

        private Map<String, List<String>> headersOf(Request request) {
            Map<String, List<String>> headers = new ConcurrentHashMap<>();
            for (var field : request.getHeaders()) {
                headers.computeIfAbsent(field.getLowerCaseName(), k -> new ArrayList<>()).add(field.getValue());
            }
            return headers;
        }
    }
}

package dev.herald.bench.ceiling;

import dev.herald.bench.receiver.LoopbackServer;
import dev.herald.bench.receiver.Receiver;
import dev.herald.bench.target.LoadClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Ceiling C: Herald's HTTP work and nothing else. A relay on 127.0.0.1 takes each published event over HTTP,
 * posts its body to {@code fanOut} of the receiver's paths with the same client and concurrency as ceiling A, and
 * answers 202 once they are under way. It stores, signs and records nothing.
 * <p>
 * Every delivery Herald makes costs a share of a publish exchange (publisher and Herald's API) besides the
 * delivery exchange itself (Herald's client and the receiver), where ceiling A pays for the delivery exchange
 * only; at fan-out 1 that is two exchanges against one. This relay pays exactly what Herald must pay in HTTP,
 * so it is the most Herald could reach on this machine with a store that cost nothing. It runs in the bench's
 * JVM, sharing the load generator's and the receiver's JIT and collector, which if anything flatters it.
 */
public final class RelayCeiling implements AutoCloseable {
    /** Receiver paths the relay spreads deliveries over, as Herald spreads them over its endpoints. */
    static final int PATHS = 100;

    private final Receiver receiver;
    private final Server server;
    private final ServerConnector connector;
    private final LoadClient outbound;
    private final List<String> targets = new ArrayList<>(PATHS);
    private final AtomicLong events = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private RelayCeiling(Receiver receiver, int concurrency) {
        this.receiver = receiver;
        this.outbound = LoadClient.create(concurrency);
        for (int i = 0; i < PATHS; i++) {
            targets.add(receiver.url("/relay/" + i));
        }
        // Publish requests wait in the handler for outbound slots: enough threads for every publisher connection.
        var loopback = LoopbackServer.create("relay", concurrency + 16, new RelayHandler());
        this.server = loopback.server();
        this.connector = loopback.connector();
    }

    /** Starts a relay that delivers to {@code receiver} with {@code concurrency} requests in flight. */
    public static RelayCeiling start(Receiver receiver, int concurrency) {
        var relay = new RelayCeiling(receiver, concurrency);
        try {
            relay.server.start();
        } catch (Exception e) {
            relay.close();
            throw new IllegalStateException("relay: cannot start", e);
        }
        return relay;
    }

    /** Where to publish an event that goes to {@code fanOut} receiver paths starting at path {@code first}. */
    public String publishUrl(int first, int fanOut) {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/publish/" + first + "/" + fanOut;
    }

    /**
     * Publishes for {@code warmUp}, then {@value HttpCeiling#ROUNDS} rounds of about {@code deliveries / ROUNDS}
     * deliveries each, at fan-out {@code fanOut} with {@code concurrency} publishes in flight; each round's rate
     * is deliveries the receiver confirmed per second from the first publish to the last arrival, as for Herald.
     */
    public static HttpCeiling.Rate measure(Receiver receiver, int concurrency, int deliveries, int fanOut, byte[] body,
                                           Duration warmUp) {
        int eventsPerRound = Math.max(1, deliveries / HttpCeiling.ROUNDS / fanOut);
        try (var relay = start(receiver, concurrency); var publisher = LoadClient.create(concurrency)) {
            long warmUntil = System.nanoTime() + warmUp.toNanos();
            do {
                relay.round(publisher, concurrency, Math.max(100, eventsPerRound / 10), fanOut, body);
            } while (System.nanoTime() < warmUntil);
            var rounds = new ArrayList<Double>();
            for (int round = 0; round < HttpCeiling.ROUNDS; round++) {
                rounds.add(relay.round(publisher, concurrency, eventsPerRound, fanOut, body));
            }
            return new HttpCeiling.Rate(List.copyOf(rounds));
        }
    }

    /** One round from a reset receiver: deliveries confirmed per second. */
    double round(LoadClient publisher, int concurrency, int eventCount, int fanOut, byte[] body) {
        receiver.reset();
        long expected = (long) eventCount * fanOut;
        long started = System.nanoTime();
        var refused = new AtomicLong();
        for (int i = 0; i < eventCount; i++) {
            publisher.send("POST", publishUrl(i % PATHS, fanOut), Map.of(), body).whenComplete((r, error) -> {
                if (error != null || r.getCode() != 202) {
                    refused.incrementAndGet();
                }
            });
        }
        publisher.drain(concurrency);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (receiver.distinctDeliveries() < expected && System.nanoTime() < deadline && failure.get() == null) {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
        if (failure.get() != null) {
            throw new IllegalStateException("relay: a delivery failed", failure.get());
        }
        long delivered = receiver.distinctDeliveries();
        if (refused.get() > 0 || delivered < expected) {
            throw new IllegalStateException("relay: " + delivered + " of " + expected + " deliveries arrived, "
                    + refused.get() + " publishes refused");
        }
        return delivered / ((receiver.lastArrivalNanos() - started) / 1e9);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Best effort: the measurement is over.
        }
        outbound.close();
    }

    /** Reads the event, starts its deliveries (waiting for outbound slots, which is the back-pressure) and answers. */
    private final class RelayHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String[] parts = Request.getPathInContext(request).split("/");
            int first = Integer.parseInt(parts[2]);
            int fanOut = Integer.parseInt(parts[3]);
            byte[] body = Content.Source.asInputStream(request).readAllBytes();
            String id = "relay_" + events.incrementAndGet();
            var headers = Map.of("webhook-id", id, "webhook-timestamp", "0", "webhook-signature", "v1,relay");
            for (int k = 0; k < fanOut; k++) {
                outbound.send("POST", targets.get((first + k) % PATHS), headers, body).whenComplete((r, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else if (r.getCode() != 200) {
                        failure.compareAndSet(null, new IllegalStateException("receiver answered " + r.getCode()));
                    }
                });
            }
            response.setStatus(202);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, "{\"id\":\"" + id + "\"}", callback);
            return true;
        }
    }
}

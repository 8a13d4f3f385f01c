package dev.herald.reliability;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1 that answers 200 after a delay and counts every request by its
 * {@code webhook-id}, so the cases can tell delivered, duplicated and in-flight apart.
 */
final class CountingReceiver implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, AtomicInteger> receipts = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    private CountingReceiver(HttpServer server) {
        this.server = server;
    }

    private final java.util.concurrent.atomic.AtomicLong delayMillis = new java.util.concurrent.atomic.AtomicLong();

    /** Changes how long the receiver takes to answer, from the next request on. */
    void delay(long millis) {
        delayMillis.set(millis);
    }

    static CountingReceiver start(long delayMillis) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            var receiver = new CountingReceiver(server);
            receiver.delay(delayMillis);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                receiver.requests.incrementAndGet();
                receiver.inFlight.incrementAndGet();
                try {
                    exchange.getRequestBody().readAllBytes();
                    String id = exchange.getRequestHeaders().getFirst("webhook-id");
                    receiver.receipts.computeIfAbsent(exchange.getRequestURI().getPath() + "#" + id,
                            k -> new AtomicInteger()).incrementAndGet();
                    long delay = receiver.delayMillis.get();
                    if (delay > 0) {
                        Await.pause(delay); // a slow receiver keeps deliveries in flight
                    }
                    exchange.sendResponseHeaders(200, -1);
                } finally {
                    receiver.inFlight.decrementAndGet();
                    exchange.close();
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** How many times each {@code path#webhook-id} arrived. */
    Map<String, Integer> receipts() {
        var copy = new java.util.HashMap<String, Integer>();
        receipts.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    boolean received(String path, String eventId) {
        return receipts.containsKey(path + "#" + eventId);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

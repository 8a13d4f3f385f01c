package dev.herald.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real webhook receiver on a loopback address: records every request, counts them (in flight, and per
 * {@code webhook-id} so duplicates show) and answers each path as told (200 unless told otherwise).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received; header names lower-cased. */
    public record Request(String path, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header, or null when absent. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.getFirst();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** How the receiver answers one request; {@code closing} opens when the receiver closes. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(HttpExchange exchange, CountDownLatch closing) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final AtomicReference<Behaviour> otherwise = new AtomicReference<>(status(200));
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Arrivals per {@code path#webhook-id}, kept as they come: load tests ask about thousands of events per poll. */
    private final Map<String, AtomicInteger> receipts = new ConcurrentHashMap<>();

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    /** A receiver on 127.0.0.1 and a free port. */
    public static WebhookReceiver start() {
        return start("127.0.0.1", 0);
    }

    public static WebhookReceiver start(String address, int port) {
        try {
            // A deep backlog: load tests open hundreds of connections at once.
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 1024);
            var receiver = new WebhookReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test receiver", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Answers requests to {@code path} with {@code behaviour} from now on. */
    public WebhookReceiver on(String path, Behaviour behaviour) {
        behaviours.put(path, behaviour);
        return this;
    }

    /** Answers requests to every path not given its own behaviour with {@code behaviour} from now on. */
    public WebhookReceiver onEveryOtherPath(Behaviour behaviour) {
        otherwise.set(behaviour);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Requests being answered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** How many times each {@code path#webhook-id} arrived. */
    public Map<String, Integer> receipts() {
        var counts = new HashMap<String, Integer>();
        receipts.forEach((key, count) -> counts.put(key, count.get()));
        return counts;
    }

    /** Whether the event with this {@code webhook-id} arrived at {@code path}. */
    public boolean received(String path, String webhookId) {
        return receipts.containsKey(path + "#" + webhookId);
    }

    /** Answers {@code code} with a body saying so. */
    public static Behaviour status(int code) {
        return status(code, Map.of());
    }

    public static Behaviour status(int code, Map<String, String> headers) {
        return (exchange, closing) -> {
            headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = ("answered " + code).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    /** Answers 200 after {@code delay}: a slow receiver keeps deliveries in flight. */
    public static Behaviour slow(Duration delay) {
        return (exchange, closing) -> {
            // The wait is the behaviour under test; it ends early when the receiver closes.
            closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
            status(200).answer(exchange, closing);
        };
    }

    /** Accepts the request and never answers (until the receiver closes). */
    public static Behaviour never() {
        return (exchange, closing) -> closing.await();
    }

    /** 200 with a body of {@code bytes} bytes, written in pieces. */
    public static Behaviour hugeBody(int bytes) {
        return (exchange, closing) -> {
            exchange.sendResponseHeaders(200, bytes);
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            try (OutputStream out = exchange.getResponseBody()) {
                for (int left = bytes; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, Math.min(left, chunk.length));
                }
            } catch (IOException e) {
                // the client may stop reading; that is its right
            }
        };
    }

    /** 200 with a chunked body that never ends (until the client goes away or the receiver closes). */
    public static Behaviour endlessBody() {
        return (exchange, closing) -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = "still going\n".getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = exchange.getResponseBody()) {
                // A trickle every 5 ms is the behaviour under test: the client must stop at its own deadline.
                while (!closing.await(5, TimeUnit.MILLISECONDS)) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException e) {
                // the client hung up, as it should at its deadline
            }
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            var headers = new TreeMap<String, List<String>>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            var request = new Request(path, headers, body);
            requests.add(request);
            receipts.computeIfAbsent(path + "#" + request.header("webhook-id"), k -> new AtomicInteger()).incrementAndGet();
            behaviours.getOrDefault(path, otherwise.get()).answer(exchange, closing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}

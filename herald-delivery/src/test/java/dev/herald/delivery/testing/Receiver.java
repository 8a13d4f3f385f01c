package dev.herald.delivery.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real webhook receiver on a loopback address that records what arrives and answers as told per path. */
public final class Receiver implements AutoCloseable {
    /** One request as received; header names lower-cased. */
    public record Request(String path, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.getFirst();
        }

        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** How the receiver answers. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(HttpExchange exchange, CountDownLatch closing) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

    private Receiver(HttpServer server) {
        this.server = server;
    }

    public static Receiver start() {
        return start("127.0.0.1", 0);
    }

    public static Receiver start(String address, int port) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 200);
            var receiver = new Receiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public Receiver on(String path, Behaviour behaviour) {
        behaviours.put(path, behaviour);
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public static Behaviour status(int code) {
        return status(code, Map.of());
    }

    public static Behaviour status(int code, Map<String, String> headers) {
        return (exchange, closing) -> {
            headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = ("answered " + code).getBytes();
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
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
            java.util.Arrays.fill(chunk, (byte) 'x');
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
            byte[] chunk = "still going\n".getBytes();
            try (OutputStream out = exchange.getResponseBody()) {
                while (closing.getCount() > 0) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                // the client hung up, as it should at its deadline
            }
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = new TreeMap<String, List<String>>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, headers, body));
            Behaviour behaviour = behaviours.getOrDefault(path, status(200));
            behaviour.answer(exchange, closing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}

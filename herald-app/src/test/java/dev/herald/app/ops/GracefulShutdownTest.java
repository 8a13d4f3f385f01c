package dev.herald.app.ops;

import com.sun.net.httpserver.HttpServer;
import dev.herald.app.Herald;
import dev.herald.app.config.ConfigLoader;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.store.Store;
import dev.herald.store.sqlite.SqliteStore;
import dev.herald.store.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM to a real Herald process: exit status 0, and every accepted event still arrives after a restart. */
class GracefulShutdownTest {
    private static final int EVENTS = 12;
    private static final long RECEIVER_DELAY_MILLIS = 1_500;

    @TempDir
    Path dir;

    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();

    @Test
    void sigtermExitsZeroAndNoAcceptedEventIsLost() throws Exception {
        HttpServer receiver = slowReceiver();
        try {
            Path config = config(receiver.getAddress().getPort());
            Set<String> accepted = acceptEvents(receiver.getAddress().getPort());

            Path output = dir.resolve("herald.out");
            Process herald = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.herald.app.Main", "serve",
                    "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                waitUntil("Herald ready", () -> read(output).contains("Herald: ready"));
                waitUntil("deliveries in flight", () -> started.get() > 0);
                herald.destroy();
                assertThat(herald.waitFor(30, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
                assertThat(herald.exitValue()).as(Files.readString(output)).isZero();
            } finally {
                herald.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(log).contains("SIGTERM received").contains("Herald: stopped");

            try (Herald restarted = Herald.start(ConfigLoader.load(Optional.of(config), Map.of()), Clock.systemUTC())) {
                waitUntil("every accepted event delivered", () -> delivered.containsAll(accepted));
            }
            assertThat(delivered).containsAll(accepted);
        } finally {
            receiver.stop(0);
        }
    }

    private HttpServer slowReceiver() throws IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", exchange -> {
            started.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(RECEIVER_DELAY_MILLIS); // a slow receiver, so deliveries are in flight at SIGTERM
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            delivered.add(id);
        });
        receiver.start();
        return receiver;
    }

    private Path config(int receiverPort) throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.writeString(file, String.join("\n",
                "listen.port=0",
                "store=sqlite:" + dir.resolve("data").toString().replace('\\', '/'),
                "outbound.allowed-schemes=http,https",
                "outbound.allowlist=127.0.0.0/8",
                "delivery.retry-schedule=0s,1s,1s,1s,1s",
                "delivery.endpoint-concurrency=4",
                "shutdown.grace=3s", ""));
        return file;
    }

    /** Stores events as a publish does (durable before Herald starts), so the process finds them due. */
    private Set<String> acceptEvents(int receiverPort) {
        var ids = new HashSet<String>();
        try (Store store = SqliteStore.open(dir.resolve("data"))) {
            Instant now = Instant.now();
            var tenant = TestData.tenant(store, now);
            Endpoint endpoint = TestData.endpoint(store, tenant, "http://127.0.0.1:" + receiverPort + "/hook", now);
            for (int i = 0; i < EVENTS; i++) {
                ids.add(TestData.publish(store, tenant, "delivered", now, endpoint).event().id().value());
            }
        }
        return ids;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for %s", what).isBefore(deadline);
            Thread.sleep(20);
        }
    }
}

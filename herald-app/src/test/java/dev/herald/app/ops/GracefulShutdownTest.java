package dev.herald.app.ops;

import dev.herald.app.Herald;
import dev.herald.app.config.ConfigLoader;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.store.Store;
import dev.herald.store.sqlite.SqliteStore;
import dev.herald.store.testing.TestData;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM to a real Herald process: exit status 0, and every accepted event still arrives after a restart. */
class GracefulShutdownTest {
    private static final int EVENTS = 12;
    private static final long RECEIVER_DELAY_MILLIS = 1_500;
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final Set<String> delivered = ConcurrentHashMap.newKeySet();

    @Test
    void sigtermExitsZeroAndNoAcceptedEventIsLost() throws Exception {
        try (WebhookReceiver receiver = slowReceiver()) {
            Path config = config();
            Set<String> accepted = acceptEvents(receiver.url("/hook"));

            Path output = dir.resolve("herald.out");
            Process herald = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.herald.app.Main", "serve",
                    "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                Await.until("Herald ready", DEADLINE, () -> read(output).contains("Herald: ready"));
                Await.until("deliveries in flight", DEADLINE, () -> !receiver.requests("/hook").isEmpty());
                herald.destroy();
                assertThat(herald.waitFor(30, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
                assertThat(herald.exitValue()).as(Files.readString(output)).isZero();
            } finally {
                herald.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(log).contains("SIGTERM received").contains("Herald: stopped");

            try (Herald restarted = Herald.start(ConfigLoader.load(Optional.of(config), Map.of()), Clock.systemUTC())) {
                Await.until("every accepted event delivered", DEADLINE, () -> delivered.containsAll(accepted));
            }
            assertThat(delivered).containsAll(accepted);
        }
    }

    /** A slow receiver, so deliveries are in flight at SIGTERM; an event counts once its answer has been sent. */
    private WebhookReceiver slowReceiver() {
        var slow = WebhookReceiver.slow(Duration.ofMillis(RECEIVER_DELAY_MILLIS));
        return WebhookReceiver.start().on("/hook", (exchange, closing) -> {
            slow.answer(exchange, closing);
            delivered.add(exchange.getRequestHeaders().getFirst("webhook-id"));
        });
    }

    private Path config() throws IOException {
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
    private Set<String> acceptEvents(String url) {
        var ids = new HashSet<String>();
        try (Store store = SqliteStore.open(dir.resolve("data"))) {
            Instant now = Instant.now();
            var tenant = TestData.tenant(store, now);
            Endpoint endpoint = TestData.endpoint(store, tenant, url, now);
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
}

package dev.herald.reliability;

import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Herald as a separate process is killed with SIGKILL while events are in flight to a slow receiver, then
 * restarted on the same data: every accepted event (2xx from publish) arrives at least once, and the only
 * duplicates are deliveries that were already under way at the kill.
 */
@Order(1)
class CrashRecoveryTest {
    private static final int EVENTS = Scale.of(2_000, 10_000);
    private static final int PUBLISHERS = 8;
    /** Slow enough that publishing runs well ahead of delivery, so most events are still queued at the kill. */
    private static final int ENDPOINT_CONCURRENCY = 8;
    private static final long SLOW_MILLIS = 250;
    private static final int MAX_IN_FLIGHT = 64;
    private static final String PATH = "/crash";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgres"})
    void everyAcceptedEventArrivesAfterSigkillAndRestart(String storeKind) throws Exception {
        String schema = Pg.newSchema();
        String store = storeKind.equals("sqlite")
                ? "sqlite:" + dir.resolve("data").toString().replace('\\', '/')
                : Pg.schemaUrl(schema);
        var settings = HeraldSettings.local(store)
                .with("delivery.lease", "3s")
                .with("delivery.max-in-flight", Integer.toString(MAX_IN_FLIGHT))
                .with("delivery.endpoint-concurrency", Integer.toString(ENDPOINT_CONCURRENCY))
                .with("delivery.retry-schedule", "0s,1s,1s,2s,2s,5s,5s");
        try (var receiver = WebhookReceiver.start()
                .onEveryOtherPath(WebhookReceiver.slow(Duration.ofMillis(SLOW_MILLIS)))) {
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            int inFlightAtKill;
            int receivedAtKill;
            Map<String, Integer> receiptsAtKill;
            Tenant tenant;
            try (var first = HeraldProcess.start(settings, dir, "crash-" + storeKind + "-1")) {
                tenant = Admin.newTenant(first.admin(), "crash");
                Api.createWebhook(first.as(tenant), receiver.url(PATH), "delivered");
                var killed = new AtomicBoolean();
                var publishing = new AtomicInteger();
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int p = 0; p < PUBLISHERS; p++) {
                        pool.submit(() -> {
                            var http = first.as(tenant);
                            int n;
                            while (!killed.get() && (n = publishing.getAndIncrement()) < EVENTS) {
                                try {
                                    var response = Api.publish(http, "delivered", n);
                                    if (response.status() / 100 == 2) {
                                        accepted.add(response.json().path("id").asText());
                                    }
                                } catch (RuntimeException e) {
                                    return; // the process is gone: this publish was not accepted
                                }
                            }
                        });
                    }
                    // kill once every event is published and deliveries are under way
                    Await.until("all events published", Duration.ofSeconds(300),
                            () -> publishing.get() >= EVENTS + PUBLISHERS || accepted.size() >= EVENTS);
                    inFlightAtKill = receiver.inFlight();
                    first.kill();
                    killed.set(true);
                    receivedAtKill = receiver.requests().size();
                    receiptsAtKill = receiver.receipts();
                }
            }
            receiver.onEveryOtherPath(WebhookReceiver.slow(Duration.ofMillis(2)));
            try (var second = HeraldProcess.start(settings, dir, "crash-" + storeKind + "-2")) {
                Await.until("every accepted event delivered after restart", Duration.ofSeconds(180),
                        () -> accepted.stream().allMatch(id -> receiver.received(PATH, id)));
            }
            var receipts = receiver.receipts();
            long duplicates = receipts.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
            long duplicatedAfterKillOnly = receipts.entrySet().stream()
                    .filter(e -> e.getValue() > 1 && !receiptsAtKill.containsKey(e.getKey())).count();
            Findings.record("Crash (" + storeKind + ")", "SIGKILL with events in flight, restart on the same data",
                    accepted.size() + " accepted, " + receivedAtKill + " requests before the kill, " + inFlightAtKill
                            + " open at the kill; after restart all " + accepted.size() + " delivered, "
                            + duplicates + " duplicates (bound: deliveries under way at the kill, ≤ "
                            + MAX_IN_FLIGHT + " = delivery.max-in-flight)");
            assertThat(accepted).as("accepted events").hasSize(EVENTS);
            assertThat(receivedAtKill).as("still queued at the kill").isLessThan(EVENTS);
            assertThat(duplicatedAfterKillOnly).as("duplicates of events first sent after the kill").isZero();
            assertThat(duplicates).as("duplicates").isLessThanOrEqualTo(MAX_IN_FLIGHT);
        } finally {
            if (storeKind.equals("postgres")) {
                Pg.dropSchema(schema);
            }
        }
    }
}

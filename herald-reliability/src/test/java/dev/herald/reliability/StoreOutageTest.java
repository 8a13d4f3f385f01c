package dev.herald.reliability;

import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL refuses connections for a while under publish load (a dedicated database with
 * {@code ALLOW_CONNECTIONS false} and its backends terminated): publish answers 503 with a code while it is
 * down, with {@code Retry-After}, never a false 2xx; {@code /health} answers 503 at once rather than after the
 * pool's connection timeout; delivery resumes afterwards and nothing accepted is lost.
 */
@Order(7)
class StoreOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(Scale.of(8, 10));

    @TempDir
    Path dir;

    @Test
    void publishAnswers503DuringAnOutageAndNothingAcceptedIsLost() throws Exception {
        String database = Pg.createDatabase();
        try (var receiver = WebhookReceiver.start()) {
            try (var herald = HeraldNode.start(HeraldSettings.local(Pg.databaseUrl(database))
                    .with("store.pool-size", "4"), dir)) {
                Tenant tenant = herald.newTenant("outage");
                Http http = herald.as(tenant);
                Api.createWebhook(http, receiver.url("/outage"), "delivered");
                Set<String> accepted = ConcurrentHashMap.newKeySet();
                Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
                var down = new AtomicBoolean();
                var acceptedWhileDown = new AtomicInteger();
                var unavailableWithoutRetryAfter = new AtomicInteger();
                var stop = new AtomicBoolean();
                var healthMillis = new java.util.concurrent.atomic.AtomicLong();
                var sequence = new AtomicInteger();
                try (var pool = Executors.newVirtualThreadPerTaskExecutor();
                     AutoCloseable stopPublishers = () -> stop.set(true)) { // runs first: a failed check must not hang
                    for (int p = 0; p < 3; p++) {
                        pool.submit(() -> {
                            while (!stop.get()) {
                                boolean wasDown = down.get();
                                String key;
                                try {
                                    var r = Api.publish(http, "delivered", sequence.incrementAndGet());
                                    if (r.status() / 100 == 2) {
                                        accepted.add(r.json().path("id").asText());
                                        if (wasDown && down.get()) {
                                            acceptedWhileDown.incrementAndGet();
                                        }
                                        key = "2xx";
                                    } else {
                                        key = r.status() + " " + r.json().path("error").path("code").asText("no code");
                                        if (r.status() == 503 && r.header("Retry-After").isEmpty()) {
                                            unavailableWithoutRetryAfter.incrementAndGet();
                                        }
                                    }
                                } catch (RuntimeException e) {
                                    key = "no answer";
                                }
                                answers.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                            }
                        });
                    }
                    Await.until("publishing under way", Duration.ofSeconds(30), () -> accepted.size() >= 50);
                    Pg.refuseConnections(database);
                    down.set(true);
                    Instant downUntil = Instant.now().plus(OUTAGE);
                    Await.until("publish refused during the outage", OUTAGE.plusSeconds(30),
                            () -> answers.containsKey("503 store_unavailable"));
                    // once a connect has failed, probes must answer at once: a 3 s probe timeout must never fire.
                    // Liveness never touches the store (200); readiness reports the outage (503).
                    long slowestProbeMillis = 0;
                    for (int i = 0; i < 10; i++) {
                        long started = System.nanoTime();
                        var health = herald.anonymous().get("/health");
                        var ready = herald.anonymous().get("/ready");
                        slowestProbeMillis = Math.max(slowestProbeMillis, (System.nanoTime() - started) / 2_000_000);
                        assertThat(health.status()).as(health.toString()).isEqualTo(200);
                        assertThat(ready.status()).as(ready.toString()).isEqualTo(503);
                    }
                    healthMillis.set(slowestProbeMillis);
                    Await.until("the outage elapsed", OUTAGE.plusSeconds(5), () -> Instant.now().isAfter(downUntil));
                    down.set(false);
                    Pg.allowConnections(database);
                    int before = accepted.size();
                    Await.until("publish accepted again after the outage", Duration.ofSeconds(60),
                            () -> accepted.size() >= before + 50);
                    stop.set(true);
                }
                Await.until("every accepted event delivered", Duration.ofSeconds(90),
                        () -> accepted.stream().allMatch(id -> receiver.received("/outage", id)));
                var statuses = new java.util.TreeMap<String, Integer>();
                answers.forEach((k, v) -> statuses.put(k, v.get()));
                Findings.record("Store outage (postgres)", OUTAGE.toSeconds() + " s of refused connections under publish load",
                        "answers " + statuses + "; " + acceptedWhileDown.get() + " 2xx while down; all "
                                + accepted.size() + " accepted delivered after recovery; /health during the outage "
                                + "/health and /ready answered within " + healthMillis.get() + " ms each (slowest of 10); 503s without "
                                + "Retry-After: " + unavailableWithoutRetryAfter.get());
                assertThat(statuses).as("503s with code during the outage").containsKey("503 store_unavailable");
                assertThat(statuses.keySet()).as("only 2xx or 503 store_unavailable")
                        .allMatch(k -> k.equals("2xx") || k.equals("503 store_unavailable"));
                assertThat(acceptedWhileDown.get()).as("2xx answered while the database refused connections").isZero();
                assertThat(unavailableWithoutRetryAfter.get()).as("503 answers without Retry-After").isZero();
                assertThat(healthMillis.get()).as("slowest probe during the outage, ms (pool timeout: 5,000)")
                        .isLessThan(1_000);
            }
        } finally {
            Pg.dropDatabase(database);
        }
    }
}

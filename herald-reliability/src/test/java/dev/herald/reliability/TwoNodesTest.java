package dev.herald.reliability;

import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Herald processes on one PostgreSQL schema: both deliver, none delivers an event twice while both
 * live, and when one is killed (SIGKILL) the other takes over its leased work once the lease has passed.
 */
@Order(8)
class TwoNodesTest {
    private static final int EVENTS = Scale.of(400, 2_000);
    private static final int MAX_IN_FLIGHT = 32;

    @TempDir
    Path dir;

    @Test
    void bothNodesDeliverWithoutDuplicatesAndTheSurvivorTakesOverAfterTheLease() {
        String schema = Pg.newSchema();
        var settings = HeraldSettings.local(Pg.schemaUrl(schema))
                .with("delivery.lease", "3s")
                .with("delivery.max-in-flight", Integer.toString(MAX_IN_FLIGHT))
                .with("delivery.endpoint-concurrency", "8")
                .with("delivery.retry-schedule", "0s,1s,1s,2s,2s,5s");
        try (var receiver = WebhookReceiver.start().onEveryOtherPath(WebhookReceiver.slow(Duration.ofMillis(300)));
             var a = HeraldProcess.start(settings, dir, "node-a");
             var b = HeraldProcess.start(settings, dir, "node-b")) {
            Tenant tenant = Admin.newTenant(a.admin(), "two-nodes");
            // two endpoints, so both nodes have lanes to work on
            Api.createWebhook(a.as(tenant), receiver.url("/one"), "delivered");
            Api.createWebhook(b.as(tenant), receiver.url("/two"), "delivered");
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < EVENTS; i++) {
                var r = Api.publish((i % 2 == 0 ? a : b).as(tenant), "delivered", i);
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
                accepted.add(r.json().path("id").asText());
            }
            Await.until("a quarter delivered", Duration.ofSeconds(60), () -> receiver.requests().size() >= EVENTS / 2);
            double attemptsA = attempts(a);
            double attemptsB = attempts(b);
            long duplicatesBeforeKill = duplicates(receiver);
            int inFlightAtKill = receiver.inFlight();
            a.kill();
            receiver.onEveryOtherPath(WebhookReceiver.slow(Duration.ofMillis(5)));
            Await.until("node b delivers everything after node a's lease", Duration.ofSeconds(120),
                    () -> accepted.stream().allMatch(id -> receiver.received("/one", id) && receiver.received("/two", id)));
            long duplicates = duplicates(receiver);
            Findings.record("Two nodes (postgres)", EVENTS + " events × 2 endpoints, node a SIGKILLed mid-way",
                    "attempts before the kill: node a " + (long) attemptsA + ", node b " + (long) attemptsB
                            + "; duplicates while both lived " + duplicatesBeforeKill + "; " + inFlightAtKill
                            + " open at the kill; node b delivered all " + (2 * EVENTS) + " after the 3 s lease; "
                            + duplicates + " duplicates in total (≤ " + MAX_IN_FLIGHT + " = node a's max in flight)");
            assertThat(attemptsA).as("node a delivered").isPositive();
            assertThat(attemptsB).as("node b delivered").isPositive();
            assertThat(duplicatesBeforeKill).as("duplicates while both nodes lived").isZero();
            assertThat(duplicates).isLessThanOrEqualTo(MAX_IN_FLIGHT);
        } finally {
            Pg.dropSchema(schema);
        }
    }

    private static long duplicates(WebhookReceiver receiver) {
        return receiver.receipts().values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
    }

    /** Attempts the node made, from its Prometheus endpoint. */
    private static double attempts(HeraldProcess node) {
        var metrics = node.admin().anonymous().get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body().lines().filter(l -> l.startsWith("herald_attempts_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}

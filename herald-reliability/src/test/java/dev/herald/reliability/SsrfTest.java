package dev.herald.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.delivery.DeliveryEngine;
import dev.herald.delivery.DeliverySettings;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import dev.herald.testing.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-side request forgery: URLs and DNS answers pointing at private, loopback, link-local, metadata,
 * multicast and obfuscated addresses never reach their target without an allowlist entry — refused at
 * creation ({@code invalid_url}) or at send time ({@code blocked}); the target receiver counts 0 hits.
 * Only 127.0.0.2/32 is allowlisted (for the redirecting receiver).
 */
@Order(4)
class SsrfTest {
    @TempDir
    static Path dir;
    private static HeraldNode herald;
    private static HttpServer target;
    private static HttpServer redirector;
    private static final AtomicInteger targetHits = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        target = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        target.createContext("/", exchange -> {
            targetHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        target.start();
        redirector = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 50);
        redirector.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + target.getAddress().getPort() + "/x");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        redirector.start();
        herald = HeraldNode.start(HeraldSettings.local("sqlite:" + dir.resolve("data"))
                .with("outbound.allowlist", "127.0.0.2/32")
                .with("delivery.timeout", "1s")
                .with("delivery.retry-schedule", "0s"), dir);
    }

    @AfterAll
    static void stop() {
        herald.close();
        target.stop(0);
        redirector.stop(0);
    }

    static List<String> urls() {
        int p = target == null ? 1 : target.getAddress().getPort();
        return List.of(
                "http://127.0.0.1:" + p + "/x", "http://localhost:" + p + "/x", "http://127.1:" + p + "/x",
                "http://10.0.0.1/x", "http://172.16.0.1/x", "http://192.168.1.1/x",
                "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/x", "http://0.0.0.0:" + p + "/x",
                "http://0:" + p + "/x", "http://224.0.0.1/x", "http://[::1]:" + p + "/x", "http://[fc00::1]/x",
                "http://[fd12:3456::1]/x", "http://[fe80::1]/x", "http://[::ffff:127.0.0.1]:" + p + "/x",
                "http://[::ffff:7f00:1]:" + p + "/x", "http://[::]:" + p + "/x",
                "http://[::ffff:0:127.0.0.1]:" + p + "/x", "http://[::ffff:0:a9fe:a9fe]/x",
                "http://[64:ff9b::127.0.0.1]:" + p + "/x", "http://[64:ff9b::a9fe:a9fe]/x",
                "http://2130706433:" + p + "/x", "http://0x7f.1:" + p + "/x", "http://0x7f000001:" + p + "/x",
                "http://017700000001:" + p + "/x", "http://0177.0.0.1:" + p + "/x",
                "http://127.0.0.1.nip.io:" + p + "/x", "http://user@127.0.0.1:" + p + "/x");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urls")
    void neverReachesAPrivateTarget(String url) {
        Tenant tenant = herald.newTenant("ssrf");
        Http http = herald.as(tenant);
        int before = targetHits.get();
        var created = http.post("/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"delivered\"]}");
        String outcome;
        if (created.status() == 201) {
            Findings.secret(created.json().path("secret").asText());
            String eventId = Api.publish(http, "delivered", 1).json().path("id").asText();
            JsonNode attempt = firstAttempt(http, eventId);
            assertThat(attempt.path("success").asBoolean()).as(attempt.toString()).isFalse();
            assertThat(attempt.path("error_class").asText()).as(attempt.toString()).isIn("blocked", "dns");
            outcome = "accepted, refused at send time: " + attempt.path("error_class").asText() + " ("
                    + attempt.path("error_message").asText() + ")";
        } else {
            assertThat(created.status()).as(created.toString()).isEqualTo(400);
            assertThat(created.json().path("error").path("code").asText()).isEqualTo("invalid_url");
            outcome = "refused at creation: invalid_url (" + created.json().path("error").path("message").asText() + ")";
        }
        assertThat(targetHits.get() - before).as("hits on the private target").isZero();
        Findings.record("SSRF", url.replace("127.0.0.1:" + target.getAddress().getPort(), "127.0.0.1:<port>")
                .replace(":" + target.getAddress().getPort() + "/", ":<port>/"), outcome + "; 0 hits");
    }

    @Test
    void aRedirectToAPrivateAddressIsNotFollowed() {
        Tenant tenant = herald.newTenant("ssrf-redirect");
        Http http = herald.as(tenant);
        int before = targetHits.get();
        Api.createWebhook(http, "http://127.0.0.2:" + redirector.getAddress().getPort() + "/hook", "delivered");
        String eventId = Api.publish(http, "delivered", 1).json().path("id").asText();
        JsonNode attempt = firstAttempt(http, eventId);
        assertThat(attempt.path("error_class").asText()).isEqualTo("redirect");
        assertThat(targetHits.get() - before).isZero();
        Findings.record("SSRF", "allowlisted receiver answers 307 to 127.0.0.1",
                "error_class=redirect, not followed; 0 hits");
    }

    /** DNS rebinding: the name answered a public address when checked, a loopback one when sent to. */
    @Test
    void aNameThatRebindsToLoopbackIsBlockedAtSendTime() {
        var answers = new AtomicInteger();
        int port = target.getAddress().getPort();
        try (var store = TestStores.sqlite(dir.resolve("rebind"))) {
            var settings = DeliverySettings.defaults().withAllowHttp(true)
                    .withAddressPolicy(AddressPolicy.create(List.of()))
                    .withRequestTimeout(Duration.ofSeconds(1))
                    .withNameLookup(host -> List.of(answers.getAndIncrement() == 0
                            ? InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})
                            : InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})));
            try (var engine = DeliveryEngine.create(store, settings, EventCatalog.create(List.of(), store.eventTypes()),
                    Clock.systemUTC(), new SimpleMeterRegistry())) {
                engine.start();
                var tenant = TestData.tenant(store, Instant.now());
                var endpoint = TestData.endpoint(store, tenant, "http://rebind.test:" + port + "/x", Instant.now());
                // the first lookup (as a check at creation would see it) says public; every send sees loopback
                answers.incrementAndGet();
                int before = targetHits.get();
                Attempt first = engine.sendTest(endpoint);
                Attempt second = engine.sendTest(endpoint);
                assertThat(first.errorClass()).hasValueSatisfying(c -> assertThat(c.wireName()).isEqualTo("blocked"));
                assertThat(second.errorClass()).hasValueSatisfying(c -> assertThat(c.wireName()).isEqualTo("blocked"));
                assertThat(targetHits.get() - before).isZero();
                Findings.record("SSRF", "DNS rebinding (resolver stub: public, then 127.0.0.1)",
                        "both sends blocked: " + first.errorMessage().orElse("") + "; 0 hits");
            }
        }
    }

    private static JsonNode firstAttempt(Http http, String eventId) {
        JsonNode[] found = new JsonNode[1];
        Await.until("first attempt of " + eventId, Duration.ofSeconds(20), () -> {
            JsonNode deliveries = http.get("/v1/events/" + eventId).json().path("deliveries");
            if (deliveries.isEmpty()) {
                return false;
            }
            JsonNode delivery = http.get("/v1/deliveries/" + deliveries.get(0).path("id").asText()).json();
            found[0] = delivery.path("attempts").path(0);
            return delivery.path("attempts").size() >= 1;
        });
        return found[0];
    }
}

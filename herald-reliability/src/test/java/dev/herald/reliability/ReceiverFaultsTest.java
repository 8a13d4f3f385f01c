package dev.herald.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.herald.testing.Await;
import dev.herald.testing.SelfSignedTls;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * Receiver faults end to end through the API: each first attempt is classified (error_class, message),
 * counted on the endpoint, and the workers stay free — a healthy endpoint is served right after all of them.
 */
@Order(3)
class ReceiverFaultsTest {
    private static final long TIMEOUT_MILLIS = 1_000;

    @TempDir
    static Path dir;
    private static HeraldNode herald;
    private static FaultServer faults;
    private static HttpsServer tls;
    private static int closedPort;
    private final List<FaultDelivery> faultDeliveries = new ArrayList<>();

    /** The delivery a fault's event made, and the client of the account that can see it. */
    private record FaultDelivery(Http http, String id) {
    }

    /** One fault: what the receiver does, and the expected class and status of the first attempt. */
    private record Fault(String name, String path, FaultServer.Behaviour behaviour, Optional<String> errorClass,
                         Optional<Integer> status, String messageContains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Fault> faults() {
        var none = Optional.<String>empty();
        return List.of(
                new Fault("500", "/500", FaultServer.plain(500, ""), Optional.of("status"), Optional.of(500), ""),
                new Fault("502", "/502", FaultServer.plain(502, ""), Optional.of("status"), Optional.of(502), ""),
                new Fault("504", "/504", FaultServer.plain(504, ""), Optional.of("status"), Optional.of(504), ""),
                new Fault("connection refused", "refused", null, Optional.of("connect"), Optional.empty(), ""),
                new Fault("reset mid-response", "/reset", FaultServer.resetMidResponse(), Optional.of("protocol|connect"),
                        Optional.empty(), ""),
                new Fault("slow headers beyond the timeout", "/slow-headers",
                        FaultServer.slowHeaders(TIMEOUT_MILLIS * 3), Optional.of("timeout"), Optional.empty(), "timeout"),
                new Fault("slow body beyond the timeout", "/slow-body", FaultServer.slowBody(TIMEOUT_MILLIS * 3),
                        Optional.of("timeout"), Optional.empty(), "timeout"),
                new Fault("302 redirect (not followed)", "/redirect",
                        FaultServer.plain(302, "Location: http://127.0.0.1:1/elsewhere\r\n"), Optional.of("redirect"),
                        Optional.of(302), ""),
                new Fault("410 Gone", "/410", FaultServer.plain(410, ""), Optional.of("status"), Optional.of(410), ""),
                new Fault("429 without Retry-After", "/429", FaultServer.plain(429, ""), Optional.of("status"),
                        Optional.of(429), ""),
                new Fault("429 with Retry-After: 3", "/429-retry-after", FaultServer.plain(429, "Retry-After: 3\r\n"),
                        Optional.of("status"), Optional.of(429), ""),
                new Fault("10 MB response body", "/huge", FaultServer.hugeBody(10 << 20), none, Optional.of(200), ""),
                new Fault("HTTP/1.0 server", "/http10",
                        FaultServer.raw("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold school"), none,
                        Optional.of(200), ""),
                new Fault("chunked response that never ends", "/endless", FaultServer.endlessChunked(TIMEOUT_MILLIS * 4),
                        Optional.of("timeout"), Optional.empty(), "timeout"),
                new Fault("invalid TLS certificate (self-signed)", "tls", null, Optional.of("tls"), Optional.empty(), ""));
    }

    @BeforeAll
    static void start() throws Exception {
        faults = FaultServer.start();
        faults().stream().filter(f -> f.behaviour() != null).forEach(f -> faults.on(f.path(), f.behaviour()));
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // closed again below: nothing listens there
        }
        tls = selfSignedHttpsServer();
        herald = HeraldNode.start(HeraldSettings.local("sqlite:" + dir.resolve("data"))
                .with("delivery.timeout", TIMEOUT_MILLIS + "ms")
                // the schedule's second delay (300 ms) is shorter than Retry-After: 3, the longest (10 s) caps it
                .with("delivery.retry-schedule", "0s,300ms,10s"), dir);
    }

    @AfterAll
    static void stop() {
        herald.close();
        faults.close();
        tls.stop(0);
    }

    /**
     * One test, so the check of the workers runs after every fault (test methods have no order): each fault is
     * classified and counted (every failure reported), then no attempt may still hang and a healthy endpoint is
     * served at once.
     */
    @Test
    void everyFaultIsClassifiedAndCountedAndLeavesNoWorkerStuck() {
        assertAll("receiver faults", faults().stream().map(fault -> () -> classifiesAndCountsTheFault(fault)));
        workersAreFreeAfterEveryFault();
    }

    private void classifiesAndCountsTheFault(Fault fault) {
        Tenant tenant = herald.newTenant("faults");
        Http http = herald.as(tenant);
        String url = switch (fault.path()) {
            case "refused" -> "http://127.0.0.1:" + closedPort + "/refused";
            case "tls" -> "https://127.0.0.1:" + tls.getAddress().getPort() + "/tls";
            default -> faults.url(fault.path());
        };
        var webhook = Api.createWebhook(http, url, "delivered");
        String eventId = Api.publish(http, "delivered", 1).json().path("id").asText();
        JsonNode delivery = firstAttemptOf(http, eventId);
        faultDeliveries.add(new FaultDelivery(http, delivery.path("id").asText()));
        JsonNode attempt = delivery.path("attempts").get(0);
        String errorClass = attempt.path("error_class").asText("");
        if (fault.errorClass().isPresent()) {
            assertThat(errorClass).as(attempt.toString()).matches(fault.errorClass().get());
            assertThat(attempt.path("success").asBoolean()).isFalse();
        } else {
            assertThat(attempt.path("success").asBoolean()).as(attempt.toString()).isTrue();
        }
        fault.status().ifPresent(s -> assertThat(attempt.path("response_status").asInt()).isEqualTo(s));
        assertThat(attempt.path("error_message").asText("")).contains(fault.messageContains());
        assertThat(attempt.path("response_body").asText("").length()).as("stored body is capped").isLessThan(70_000);

        JsonNode stats = http.get("/v1/webhooks/" + webhook.id()).json();
        boolean failed = fault.errorClass().isPresent();
        assertThat(stats.path("stats").path(failed ? "failed" : "successful").asInt()).as(stats.toString())
                .isGreaterThanOrEqualTo(1);
        String extra = "";
        if (fault.path().equals("/410")) {
            Await.until("endpoint disabled after 410", Duration.ofSeconds(10), () -> http.get("/v1/webhooks/"
                    + webhook.id()).json().path("status").asText().equals("disabled"));
            extra = "; endpoint disabled";
        }
        if (fault.path().startsWith("/429")) {
            long attempted = java.time.Instant.parse(attempt.path("attempted_at").asText()).toEpochMilli();
            var after = http.get("/v1/deliveries/" + delivery.path("id").asText()).json();
            if (fault.path().equals("/429-retry-after")) {
                long next = java.time.Instant.parse(after.path("next_attempt_at").asText()).toEpochMilli();
                assertThat(after.path("attempts").size()).as("no second attempt before Retry-After").isEqualTo(1);
                assertThat(next - attempted).as("next attempt honours Retry-After: 3 (ms)").isGreaterThan(2_000);
                extra = "; next attempt " + (next - attempted) / 1000 + " s later";
            } else {
                Await.until("second attempt on the schedule", Duration.ofSeconds(10), () -> http.get("/v1/deliveries/"
                        + delivery.path("id").asText()).json().path("attempts").size() >= 2);
                extra = "; retried on the schedule";
            }
        }
        Findings.record("Receiver faults", fault.name(), "error_class=" + (errorClass.isEmpty() ? "none (success)" : errorClass)
                + ", status=" + (attempt.path("response_status").isNull() ? "-" : attempt.path("response_status").asText())
                + ", message=\"" + attempt.path("error_message").asText("") + "\", endpoint "
                + stats.path("stats").path("successful").asInt() + " ok/" + stats.path("stats").path("failed").asInt()
                + " failed" + extra);
    }

    private void workersAreFreeAfterEveryFault() {
        // Every fault ends within the 1 s timeout and the schedule (0s, 300ms, 10s) runs out: a delivery still
        // pending after that is one a worker is stuck on.
        // An attempt that never ends keeps its delivery pending, so every fault's delivery must reach a final state.
        Await.until("every fault's delivery finished", Duration.ofSeconds(30), () -> faultDeliveries.stream()
                .allMatch(d -> !d.http().get("/v1/deliveries/" + d.id()).json().path("status").asText()
                        .equals("pending")));
        try (var receiver = WebhookReceiver.start()) {
            Tenant tenant = herald.newTenant("healthy");
            Http http = herald.as(tenant);
            Api.createWebhook(http, receiver.url("/healthy"), "delivered");
            String id = Api.publish(http, "delivered", 1).json().path("id").asText();
            Await.until("a healthy endpoint served after the faults", Duration.ofSeconds(5),
                    () -> receiver.received("/healthy", id));
            Findings.record("Receiver faults", "healthy endpoint after all faults",
                    "every fault's delivery finished; delivered at once; no worker stuck");
        }
    }

    private static JsonNode firstAttemptOf(Http http, String eventId) {
        JsonNode[] found = new JsonNode[1];
        Await.until("first attempt of " + eventId, Duration.ofSeconds(20), () -> {
            JsonNode deliveries = http.get("/v1/events/" + eventId).json().path("deliveries");
            if (deliveries.isEmpty()) {
                return false;
            }
            JsonNode delivery = http.get("/v1/deliveries/" + deliveries.get(0).path("id").asText()).json();
            found[0] = delivery;
            return delivery.path("attempts").size() >= 1;
        });
        return found[0];
    }

    /** An HTTPS receiver with a certificate generated here by keytool: valid TLS, untrusted issuer. */
    private static HttpsServer selfSignedHttpsServer() throws Exception {
        var context = SelfSignedTls.create(dir, "127.0.0.1").server();
        var server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}

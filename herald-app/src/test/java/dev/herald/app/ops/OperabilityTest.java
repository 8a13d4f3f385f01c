package dev.herald.app.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.app.Herald;
import dev.herald.app.config.ConfigLoader;
import dev.herald.app.config.HeraldConfig.LogFormat;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What operators and their tools see of a running Herald: gauges, probes, metric hygiene and log lines. */
class OperabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private WebhookReceiver receiver;
    private Herald herald;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stop() {
        if (herald != null) {
            herald.close();
        }
        receiver.close();
    }

    private Herald start(String... extra) throws Exception {
        Path config = HeraldConfigFile.write(dir, ADMIN_TOKEN, extra);
        herald = Herald.start(ConfigLoader.load(Optional.of(config), Map.of()), Clock.systemUTC());
        return herald;
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrapeText() throws Exception {
        var response = send("GET", "/metrics", null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** An account, a key and an endpoint on the local receiver; returns the key. */
    private String tenantWithEndpoint() throws Exception {
        var account = send("POST", "/admin/v1/accounts", ADMIN_TOKEN, "{\"name\":\"ops\"}");
        long accountId = JSON.readTree(account.body()).path("id").asLong();
        var key = send("POST", "/admin/v1/accounts/" + accountId + "/keys", ADMIN_TOKEN, "{\"name\":\"ops\"}");
        String apiKey = JSON.readTree(key.body()).path("key").asText();
        String hook = receiver.url("/hook");
        var created = send("POST", "/v1/webhooks", apiKey, "{\"url\":\"" + hook + "\",\"events\":[\"delivered\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return apiKey;
    }

    private void publishAndAwaitDelivery(String apiKey) throws Exception {
        int before = receiver.requests("/hook").size();
        var published = send("POST", "/v1/events", apiKey, "{\"type\":\"delivered\",\"data\":{\"n\":1}}");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
        Await.until("the delivery", WAIT, () -> receiver.requests("/hook").size() > before);
    }

    /** Forces a full collection and knows it ran: a weakly held sentinel is gone. */
    private static void collectGarbage() {
        var sentinel = new WeakReference<>(new Object());
        Await.until("a full GC", WAIT, () -> {
            System.gc();
            return sentinel.get() == null;
        });
    }

    @Test
    void gaugesStillReadNumbersAfterAFullGarbageCollection() throws Exception {
        start();
        publishAndAwaitDelivery(tenantWithEndpoint());
        collectGarbage();
        PrometheusText after = PrometheusText.parse(scrapeText());
        for (var gauge : List.of(
                new Object[]{"herald_queue_deliveries", Map.of("state", "due")},
                new Object[]{"herald_queue_deliveries", Map.of("state", "held")},
                new Object[]{"herald_deliveries_in_flight", Map.<String, String>of()},
                new Object[]{"herald_deliveries_waiting", Map.<String, String>of()},
                new Object[]{"herald_endpoints", Map.of("status", "active")})) {
            @SuppressWarnings("unchecked")
            var labels = (Map<String, String>) gauge[1];
            assertThat(after.value((String) gauge[0], labels)).as("%s%s after a GC", gauge[0], labels)
                    .hasValueSatisfying(v -> assertThat(v).isNotNaN());
        }
        assertThat(after.value("herald_endpoints", Map.of("status", "active"))).contains(1.0);
    }

    @Test
    void livenessNeverTouchesTheStoreWhileReadinessDoes() throws Exception {
        start();
        assertThat(send("GET", "/ready", null, null).statusCode()).isEqualTo(200);
        herald.store().close(); // the store is gone as far as this process can tell
        var health = send("GET", "/health", null, null);
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("ok");
        var ready = send("GET", "/ready", null, null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).path("store_reachable").asBoolean()).isFalse();
    }

    @Test
    void everyHeraldMetricPassesThePromtoolLintAndTheProcessStartTimeIsExported() throws Exception {
        start();
        String apiKey = tenantWithEndpoint();
        publishAndAwaitDelivery(apiKey);
        Await.until("the attempt recorded", WAIT, () -> {
            try {
                return PrometheusText.parse(scrapeText()).value("herald_deliveries_total", Map.of("outcome", "delivered")).isPresent();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        String text = scrapeText();
        assertThat(PrometheusLint.problems(text, "herald_")).isEmpty();
        assertThat(text).contains("# HELP herald_attempts_total ", "# HELP herald_deliveries_total ",
                "# HELP herald_deliveries_in_flight ", "# HELP herald_deliveries_waiting ",
                "# HELP herald_store_statements_total ");
        assertThat(PrometheusText.parse(text).value("herald_store_statements_total",
                Map.of("store", "sqlite", "kind", "commit"))).hasValueSatisfying(v -> assertThat(v).isPositive());
        double started = PrometheusText.parse(text).value("process_start_time_seconds", Map.of()).orElseThrow();
        assertThat(started).isBetween(Instant.now().minusSeconds(3600).getEpochSecond() * 1.0, Instant.now().getEpochSecond() + 1.0);
    }

    @Test
    void refusedRequestsCountUnderTheRouteTheyWereFor() throws Exception {
        start();
        String apiKey = tenantWithEndpoint();
        assertThat(send("POST", "/v1/webhooks", null, "{}").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/v1/webhooks/wh_123", "sk_live_" + "0".repeat(64), null).statusCode()).isEqualTo(401);
        var tooLarge = send("POST", "/v1/events", apiKey, "{\"type\":\"delivered\",\"data\":\"" + "x".repeat(2 << 20) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        PrometheusText metrics = PrometheusText.parse(scrapeText());
        assertThat(metrics.value("herald_http_requests_total", Map.of("route", "/v1/webhooks", "method", "POST", "status", "401")))
                .contains(1.0);
        assertThat(metrics.value("herald_http_requests_total", Map.of("route", "/v1/webhooks/{id}", "method", "GET", "status", "401")))
                .contains(1.0);
        assertThat(metrics.value("herald_http_requests_total", Map.of("route", "/v1/events", "method", "POST", "status", "413")))
                .contains(1.0);
    }

    @Test
    void jsonLogsAreJsonFromTheFirstLineWithTopLevelTimestampMessageAndRequestId() throws Exception {
        var stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        String requestId;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            start("log.format=json");
            var created = send("POST", "/admin/v1/accounts", ADMIN_TOKEN, "{\"name\":\"logs\"}");
            requestId = created.headers().firstValue("X-Request-Id").orElseThrow();
            send("GET", "/health", null, null);
            send("GET", "/metrics", null, null);
            herald.close();
            herald = null;
        } finally {
            System.setOut(original);
            LogOutput.use(LogFormat.TEXT);
        }
        List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).isNotEmpty();
        boolean sawRequest = false;
        for (String line : lines) {
            assertThat(line).as("every line is a JSON object").startsWith("{");
            JsonNode entry = JSON.readTree(line);
            assertThat(OffsetDateTime.parse(entry.path("timestamp").asText())).as(line).isNotNull();
            assertThat(entry.path("message").isTextual()).as(line).isTrue();
            assertThat(entry.path("level").asText()).as(line).isIn("INFO", "WARN", "ERROR");
            String message = entry.path("message").asText();
            assertThat(message).as("probes and scrapes log at DEBUG").doesNotContain("/health", "/metrics");
            if (message.equals("http: POST /admin/v1/accounts 201")) {
                assertThat(entry.path("request_id").asText()).isEqualTo(requestId);
                sawRequest = true;
            }
        }
        assertThat(JSON.readTree(lines.getFirst()).path("message").asText()).as("the first line").startsWith("store: ");
        assertThat(sawRequest).as("the request's line").isTrue();
    }
}

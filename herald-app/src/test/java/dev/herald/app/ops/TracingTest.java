package dev.herald.app.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.herald.app.Herald;
import dev.herald.app.config.ConfigLoader;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenTelemetry: a span per publish and per attempt, the caller's trace carried through to the receiver. */
class TracingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
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

    /** The traceparent header of each delivery request ("none" when absent). */
    private List<String> receivedTraceparents() {
        return receiver.requests("/hook").stream()
                .map(r -> Optional.ofNullable(r.header("traceparent")).orElse("none"))
                .toList();
    }

    @AfterEach
    void stop() {
        if (herald != null) {
            herald.close();
        }
        receiver.close();
    }

    private Path config(String... extra) throws Exception {
        return HeraldConfigFile.write(dir, ADMIN_TOKEN, extra);
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body, String... headers)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Tenant(String key, String webhook) {
    }

    private Tenant tenant() throws Exception {
        var account = send("POST", "/admin/v1/accounts", ADMIN_TOKEN, "{\"name\":\"traced\"}");
        long accountId = JSON.readTree(account.body()).path("id").asLong();
        var key = send("POST", "/admin/v1/accounts/" + accountId + "/keys", ADMIN_TOKEN, "{\"name\":\"t\"}");
        String apiKey = JSON.readTree(key.body()).path("key").asText();
        String hook = receiver.url("/hook");
        var created = send("POST", "/v1/webhooks", apiKey, "{\"url\":\"" + hook + "\",\"events\":[\"delivered\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new Tenant(apiKey, JSON.readTree(created.body()).path("id").asText());
    }

    private String publish(Tenant tenant, String... headers) throws Exception {
        var published = send("POST", "/v1/events", tenant.key(), "{\"type\":\"delivered\",\"data\":{\"n\":1}}", headers);
        assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
        return JSON.readTree(published.body()).path("id").asText();
    }

    private static SpanData span(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    @Test
    void publishAndAttemptSpansContinueTheCallersTraceAndTheReceiverGetsIt() throws Exception {
        var spans = InMemorySpanExporter.create();
        var sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        try {
            herald = Herald.start(ConfigLoader.load(Optional.of(config()), Map.of()), Clock.systemUTC(), Telemetry.using(sdk));
            Tenant tenant = tenant();
            String eventId = publish(tenant, "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
            Await.until("the traced attempt", WAIT, () -> !receivedTraceparents().isEmpty()
                    && spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("herald.attempt")));

            SpanData publish = span(spans.getFinishedSpanItems(), "herald.publish");
            assertThat(publish.getTraceId()).isEqualTo(CALLER_TRACE);
            assertThat(publish.getParentSpanId()).isEqualTo(CALLER_SPAN);
            assertThat(publish.getAttributes().get(AttributeKey.stringKey("herald.event_type"))).isEqualTo("delivered");
            assertThat(publish.getAttributes().get(AttributeKey.stringKey("herald.event_id"))).isEqualTo(eventId);
            assertThat(publish.getAttributes().get(AttributeKey.longKey("herald.account"))).isPositive();
            assertThat(publish.getAttributes().get(AttributeKey.stringKey("herald.status"))).isEqualTo("accepted");

            SpanData attempt = span(spans.getFinishedSpanItems(), "herald.attempt");
            assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(attempt.getTraceId()).isEqualTo(CALLER_TRACE);
            assertThat(attempt.getParentSpanId()).isEqualTo(publish.getSpanId());
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("herald.endpoint"))).isEqualTo(tenant.webhook());
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("herald.event_type"))).isEqualTo("delivered");
            assertThat(attempt.getAttributes().get(AttributeKey.longKey("herald.account")))
                    .isEqualTo(publish.getAttributes().get(AttributeKey.longKey("herald.account")));
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("herald.status"))).isEqualTo("delivered");
            assertThat(attempt.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
            assertThat(attempt.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);

            assertThat(receivedTraceparents()).containsExactly("00-" + CALLER_TRACE + "-" + attempt.getSpanId() + "-01");
        } finally {
            if (herald != null) {
                herald.close();
                herald = null;
            }
            sdk.close();
        }
    }

    @Test
    void aPublishWithoutTraceparentStartsANewTraceAndAFailedAttemptCarriesItsErrorClass() throws Exception {
        var spans = InMemorySpanExporter.create();
        var sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
        receiver.on("/hook", WebhookReceiver.status(500));
        try {
            herald = Herald.start(ConfigLoader.load(Optional.of(config("delivery.retry-schedule=0s,1h")), Map.of()),
                    Clock.systemUTC(), Telemetry.using(sdk));
            publish(tenant());
            Await.until("the failed attempt's span", WAIT, () ->
                    spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("herald.attempt")));
            SpanData publish = span(spans.getFinishedSpanItems(), "herald.publish");
            SpanData attempt = span(spans.getFinishedSpanItems(), "herald.attempt");
            assertThat(publish.getParentSpanContext().isValid()).isFalse();
            assertThat(attempt.getTraceId()).isEqualTo(publish.getTraceId());
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("herald.status"))).isEqualTo("retry_scheduled");
            assertThat(attempt.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("status");
            assertThat(attempt.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(500L);
            assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        } finally {
            if (herald != null) {
                herald.close();
                herald = null;
            }
            sdk.close();
        }
    }

    @Test
    void tracingIsOffByDefaultAndAddsNoHeaderToTheDelivery() throws Exception {
        herald = Herald.start(ConfigLoader.load(Optional.of(config()), Map.of()), Clock.systemUTC());
        publish(tenant(), "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
        Await.until("the delivery", WAIT, () -> !receivedTraceparents().isEmpty());
        assertThat(receivedTraceparents()).containsExactly("none");
    }

    @Test
    void spansAreExportedOverOtlpWhenAnExporterEndpointIsSet() throws Exception {
        var exports = new CopyOnWriteArrayList<String>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exports.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body.length);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            herald = Herald.start(ConfigLoader.load(Optional.of(config(
                    "otel.exporter.endpoint=http://127.0.0.1:" + collector.getAddress().getPort())), Map.of()),
                    Clock.systemUTC());
            publish(tenant());
            Await.until("the delivery", WAIT, () -> !receivedTraceparents().isEmpty());
            herald.close(); // flushes the batch of spans
            herald = null;
            assertThat(exports).isNotEmpty().allSatisfy(line ->
                    assertThat(line).startsWith("POST /v1/traces application/x-protobuf ").doesNotEndWith(" 0"));
            assertThat(receivedTraceparents()).singleElement().asString().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        } finally {
            collector.stop(0);
        }
    }
}

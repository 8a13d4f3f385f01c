package dev.herald.acceptance.svix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.svix.Svix;
import com.svix.SvixOptions;
import com.svix.models.ApplicationIn;
import com.svix.models.EndpointIn;
import com.svix.models.MessageIn;
import com.svix.models.OperationalWebhookEndpointIn;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's operational webhooks hear of an application's messages failing, recovering and running out of
 * attempts, and of the endpoint Herald then disables, each a signed Svix message in Svix's shape. Five attempts per
 * message, so a fourth failure (Svix's "failing") comes before the last.
 */
@ClassTemplate
class OperationalWebhooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore()
            .with("delivery.retry-schedule", "0s,50ms,50ms,50ms,50ms");

    private WebhookReceiver receiver;
    private Svix svix;
    private String opsSecret;

    @BeforeEach
    void platform() throws Exception {
        var key = herald.admin().post("/admin/v1/platform-keys", "{\"name\":\"ops\"}");
        var options = new SvixOptions();
        options.setServerUrl(herald.baseUri().toString());
        svix = new Svix(key.json().path("key").asText(), options);
        receiver = WebhookReceiver.start();
        var ops = svix.getOperationalWebhookEndpoint().create(new OperationalWebhookEndpointIn()
                .url(URI.create(receiver.url("/ops"))));
        opsSecret = svix.getOperationalWebhookEndpoint().getSecret(ops.getId()).getKey();
    }

    @AfterEach
    void stop() throws Exception {
        for (var endpoint : svix.getOperationalWebhookEndpoint().list().getData()) {
            svix.getOperationalWebhookEndpoint().delete(endpoint.getId());
        }
        receiver.close();
    }

    @Test
    void aMessageThatRecoversAfterItsFourthFailureIsReportedFailingThenRecovered() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("Recovers").uid("r-" + UUID.randomUUID()));
        var failures = new AtomicInteger();
        receiver.on("/flaky", (exchange, closing) -> WebhookReceiver.status(failures.incrementAndGet() <= 4 ? 500 : 200)
                .answer(exchange, closing));
        var endpoint = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url("/flaky"))));
        var message = svix.getMessage().create(app.getId(), new MessageIn().eventType("job.done").payload("{}")
                .eventId("job-1"));

        Await.until("failing and recovered at the operational endpoint",
                () -> about(message.getId()).stream().map(OperationalWebhooksTest::type).toList()
                        .containsAll(List.of("message.attempt.failing", "message.attempt.recovered")));
        for (var delivered : about(message.getId())) {
            new com.svix.Webhook(opsSecret).verify(delivered.bodyText(), delivered.headers());
            JsonNode data = json(delivered).path("data");
            assertThat(data.path("appId").asText()).isEqualTo(app.getId());
            assertThat(data.path("endpointId").asText()).isEqualTo(endpoint.getId());
            assertThat(data.path("msgEventId").asText()).isEqualTo("job-1");
            assertThat(data.at("/lastAttempt/id").asText()).startsWith("atmpt_");
        }
        assertThat(about(message.getId())).extracting(OperationalWebhooksTest::type)
                .doesNotContain("message.attempt.exhausted");
    }

    @Test
    void aMessageThatRunsOutOfAttemptsIsReportedExhaustedAndItsEndpointDisabled() throws Exception {
        var app = svix.getApplication().create(new ApplicationIn().name("Exhausts"));
        receiver.on("/down", WebhookReceiver.status(503));
        var endpoint = svix.getEndpoint().create(app.getId(), new EndpointIn().url(URI.create(receiver.url("/down"))));
        var message = svix.getMessage().create(app.getId(), new MessageIn().eventType("job.done").payload("{}"));

        Await.until("failing and exhausted at the operational endpoint",
                () -> about(message.getId()).stream().map(OperationalWebhooksTest::type).toList()
                        .containsAll(List.of("message.attempt.failing", "message.attempt.exhausted")));
        var exhausted = about(message.getId()).stream()
                .filter(r -> type(r).equals("message.attempt.exhausted")).findFirst().orElseThrow();
        new com.standardwebhooks.Webhook(opsSecret).verify(exhausted.bodyText(),
                java.net.http.HttpHeaders.of(exhausted.headers(), (name, value) -> true));
        assertThat(json(exhausted).at("/data/lastAttempt/responseStatusCode").asInt()).isEqualTo(503);

        Await.until("endpoint.disabled at the operational endpoint", () -> receiver.requests("/ops").stream()
                .anyMatch(r -> type(r).equals("endpoint.disabled")
                        && json(r).at("/data/endpointId").asText().equals(endpoint.getId())));
        assertThat(svix.getEndpoint().get(app.getId(), endpoint.getId()).getDisabled()).isTrue();
    }

    private List<WebhookReceiver.Request> about(String messageId) {
        return receiver.requests("/ops").stream()
                .filter(r -> json(r).at("/data/msgId").asText().equals(messageId))
                .toList();
    }

    private static String type(WebhookReceiver.Request request) {
        return json(request).path("type").asText();
    }

    private static JsonNode json(WebhookReceiver.Request request) {
        try {
            return JSON.readTree(request.bodyText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

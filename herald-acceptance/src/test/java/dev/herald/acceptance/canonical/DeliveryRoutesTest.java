package dev.herald.acceptance.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.testing.SeedExamples;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing and the delivery routes, end to end: a real engine sends to a real receiver on 127.0.0.1 and the
 * API shows the deliveries and attempts; retry, recover and test events go out again.
 */
@ClassTemplate
class DeliveryRoutesTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    private WebhookReceiver receiver;
    private ApiClient api;

    @BeforeEach
    void setUp() {
        receiver = WebhookReceiver.start();
        api = herald.client(herald.newAccount());
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void publishedEventIsDeliveredAndVisibleWithItsAttempts() {
        String webhook = createWebhook("/ok", "delivered");

        var published = api.post("/v1/events", """
                {"type":"delivered","data":{"message_id":"msg_abc123","to":"user@example.com"}}""");

        assertThat(published.status()).isEqualTo(202);
        SeedExamples.assertMatches("""
                {"id":"evt_1234567890","type":"delivered","timestamp":"2024-01-15T10:30:00Z","deliveries":1}""",
                published.json());
        String eventId = published.json().get("id").asText();
        var arrived = Await.value("the delivery", () -> receiver.requests("/ok").stream().findFirst());
        JsonNode payload = SeedExamples.parse(arrived.bodyText());
        assertThat(payload.get("id").asText()).isEqualTo(eventId);
        assertThat(payload.get("data").get("message_id").asText()).isEqualTo("msg_abc123");
        assertThat(arrived.header("webhook-id")).isEqualTo(eventId);

        JsonNode delivery = Await.value("delivered state", () -> Optional.of(
                api.get("/v1/webhooks/" + webhook + "/deliveries?status=delivered").json().get("data"))
                .filter(d -> d.size() == 1)).get(0);
        assertThat(delivery.get("event_id").asText()).isEqualTo(eventId);
        assertThat(delivery.get("webhook_id").asText()).isEqualTo(webhook);
        assertThat(delivery.get("attempt_count").asInt()).isEqualTo(1);

        JsonNode detail = api.get("/v1/deliveries/" + delivery.get("id").asText()).json();
        JsonNode attempt = detail.get("attempts").get(0);
        assertThat(attempt.get("number").asInt()).isEqualTo(1);
        assertThat(attempt.get("response_status").asInt()).isEqualTo(200);
        assertThat(attempt.get("response_body").asText()).isEqualTo("answered 200");
        assertThat(attempt.get("attempted_at").asText()).matches(SeedExamples.RFC3339);
        assertThat(attempt.get("duration_ms").isIntegralNumber()).isTrue();
        assertThat(attempt.get("error_class").isNull()).isTrue();

        JsonNode event = api.get("/v1/events/" + eventId).json();
        assertThat(event.get("type").asText()).isEqualTo("delivered");
        assertThat(event.get("data").get("to").asText()).isEqualTo("user@example.com");
        assertThat(event.get("deliveries").get(0).get("id")).isEqualTo(delivery.get("id"));
        JsonNode stats = api.get("/v1/webhooks/" + webhook).json().get("stats");
        assertThat(stats.get("successful").asLong()).isEqualTo(1);
        assertThat(stats.get("total_sent").asLong()).isEqualTo(1);
        assertThat(stats.get("last_success").asText()).matches(SeedExamples.RFC3339);
    }

    @Test
    void numbersInDataArriveWithEveryDigitThePublisherSent() {
        createWebhook("/numbers", "delivered");

        var published = api.post("/v1/events", """
                {"type":"delivered","data":{"amount":12345678901234567890.123456789,"count":18446744073709551616,"rate":0.1}}""");

        assertThat(published.status()).isEqualTo(202);
        var arrived = Await.value("the delivery", () -> receiver.requests("/numbers").stream().findFirst());
        assertThat(arrived.bodyText()).contains(
                "\"data\":{\"amount\":12345678901234567890.123456789,\"count\":18446744073709551616,\"rate\":0.1}");
    }

    @Test
    void publishingWithTheSameIdempotencyKeyStoresOneEvent() {
        createWebhook("/once", "opened");
        ApiClient keyed = api.withHeader("Idempotency-Key", "publish-once");

        var first = keyed.post("/v1/events", "{\"type\":\"opened\",\"data\":{}}");
        var second = keyed.post("/v1/events", "{\"type\":\"opened\",\"data\":{}}");
        var conflicting = keyed.post("/v1/events", "{\"type\":\"opened\",\"data\":{\"x\":1}}");

        assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(conflicting.errorCode()).isEqualTo("idempotency_conflict");
        Await.until("the delivery", () -> receiver.requests("/once").size() == 1);
    }

    @Test
    void aCallerChosenEventIdIsKept() {
        var published = api.post("/v1/events", "{\"type\":\"clicked\",\"id\":\"evt_mine123\",\"data\":{}}");

        assertThat(published.json().get("id").asText()).isEqualTo("evt_mine123");
        assertThat(published.json().get("deliveries").asInt()).isZero();
        assertThat(api.get("/v1/events/evt_mine123").status()).isEqualTo(200);
    }

    @Test
    void failedDeliveryIsRetriedOnRequestAndSucceeds() {
        receiver.on("/flaky", WebhookReceiver.status(500));
        String webhook = createWebhook("/flaky", "bounced");
        api.post("/v1/events", "{\"type\":\"bounced\",\"data\":{}}");
        JsonNode failed = awaitDelivery(webhook, "failed");
        assertThat(api.get("/v1/deliveries/" + failed.get("id").asText()).json().get("attempts"))
                .allSatisfy(a -> {
                    assertThat(a.get("response_status").asInt()).isEqualTo(500);
                    assertThat(a.get("error_class").asText()).isEqualTo("status");
                });
        // The exhausted delivery disables the webhook (seed 002); a user turns it back on before retrying.
        Await.until("the webhook disabled", () -> api.get("/v1/webhooks/" + webhook).json()
                .get("status").asText().equals("disabled"));
        assertThat(api.post("/v1/deliveries/" + failed.get("id").asText() + "/retry", "").errorCode())
                .isEqualTo("webhook_disabled");
        api.patch("/v1/webhooks/" + webhook, "{\"status\":\"active\"}");
        receiver.on("/flaky", WebhookReceiver.status(200));

        var retried = api.post("/v1/deliveries/" + failed.get("id").asText() + "/retry", "");

        assertThat(retried.status()).isEqualTo(202);
        awaitDelivery(webhook, "delivered");
    }

    @Test
    void recoverRequeuesFailedDeliveriesSinceTheGivenTime() {
        receiver.on("/down", WebhookReceiver.status(503));
        String webhook = createWebhook("/down", "deferred");
        Instant before = Instant.now().minus(1, ChronoUnit.MINUTES);
        // One event at a time: exhausting a delivery disables the webhook, and a second delivery still in flight
        // then would end failed or cancelled depending on timing.
        for (int n = 1; n <= 2; n++) {
            api.patch("/v1/webhooks/" + webhook, "{\"status\":\"active\"}");
            api.post("/v1/events", "{\"type\":\"deferred\",\"data\":{\"n\":" + n + "}}");
            Await.until("the webhook disabled after event " + n, () -> api.get("/v1/webhooks/" + webhook).json()
                    .get("status").asText().equals("disabled"));
        }
        int failed = api.get("/v1/webhooks/" + webhook + "/deliveries?status=failed").json().get("data").size();
        assertThat(failed).isEqualTo(2);
        String body = "{\"since\":\"" + before + "\"}";
        assertThat(api.post("/v1/webhooks/" + webhook + "/recover", body).errorCode()).isEqualTo("webhook_disabled");
        api.patch("/v1/webhooks/" + webhook, "{\"status\":\"active\"}");
        receiver.on("/down", WebhookReceiver.status(200));

        var recovered = api.post("/v1/webhooks/" + webhook + "/recover", body);

        assertThat(recovered.status()).isEqualTo(202);
        assertThat(recovered.json().get("requeued").asInt()).isEqualTo(failed);
        Await.until("the failed ones delivered", () -> api.get("/v1/webhooks/" + webhook
                + "/deliveries?status=delivered").json().get("data").size() == failed);
        assertThat(api.get("/v1/webhooks/" + webhook + "/deliveries?status=failed").json().get("data")).isEmpty();
    }

    @Test
    void testEventIsSentNowAndItsAttemptReturned() {
        String webhook = createWebhook("/test", "inbound");

        var response = api.post("/v1/webhooks/" + webhook + "/test", "");

        assertThat(response.status()).isEqualTo(200);
        var json = response.json();
        assertThat(json.get("success").asBoolean()).isTrue();
        assertThat(json.get("response_status").asInt()).isEqualTo(200);
        assertThat(json.get("delivery_id").asText()).startsWith("dlv_");
        var arrived = receiver.requests("/test");
        assertThat(arrived).hasSize(1);
        assertThat(SeedExamples.parse(arrived.getFirst().bodyText()).get("type").asText()).isEqualTo("webhook.test");
    }

    @Test
    void testEventToAFailingReceiverReportsTheFailure() {
        receiver.on("/broken", WebhookReceiver.status(500));
        String webhook = createWebhook("/broken", "inbound");

        var json = api.post("/v1/webhooks/" + webhook + "/test", "").json();

        assertThat(json.get("success").asBoolean()).isFalse();
        assertThat(json.get("response_status").asInt()).isEqualTo(500);
        assertThat(json.get("error_class").asText()).isEqualTo("status");
    }

    @Test
    void disabledWebhookCannotBeTested() {
        String webhook = createWebhook("/off", "inbound");
        api.patch("/v1/webhooks/" + webhook, "{\"status\":\"disabled\"}");

        var response = api.post("/v1/webhooks/" + webhook + "/test", "");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("webhook_disabled");
        assertThat(receiver.requests("/off")).isEmpty();
    }

    private String createWebhook(String path, String event) {
        var response = api.post("/v1/webhooks",
                "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"" + event + "\"]}");
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().get("id").asText();
    }

    private JsonNode awaitDelivery(String webhook, String status) {
        return Await.value("a " + status + " delivery", () -> Optional.of(
                api.get("/v1/webhooks/" + webhook + "/deliveries?status=" + status).json().get("data"))
                .filter(d -> !d.isEmpty())).get(0);
    }
}

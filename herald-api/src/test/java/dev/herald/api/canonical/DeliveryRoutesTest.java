package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.testing.ApiClient;
import dev.herald.api.testing.ApiHarness;
import dev.herald.api.testing.Eventually;
import dev.herald.api.testing.SeedExamples;
import dev.herald.api.testing.WebhookReceiver;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing and the delivery routes, end to end: a real engine sends to a real receiver on 127.0.0.1 and the
 * API shows the deliveries and attempts; retry, recover and test events go out again.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class DeliveryRoutesTest {
    private static ApiHarness harness;

    private final StoreKind store;
    private WebhookReceiver receiver;
    private ApiClient api;

    DeliveryRoutesTest(StoreKind store) {
        this.store = store;
    }

    @BeforeParameterizedClassInvocation
    static void startHarness(StoreKind store) {
        harness = ApiHarness.start(store);
    }

    @AfterParameterizedClassInvocation
    static void stopHarness() {
        harness.close();
    }

    @BeforeEach
    void setUp() {
        assertThat(harness.kind()).isEqualTo(store);
        receiver = WebhookReceiver.start();
        api = harness.client(harness.newAccount());
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
        var arrived = Eventually.get("the delivery", () -> receiver.received("/ok").stream().findFirst());
        JsonNode payload = SeedExamples.parse(arrived.body());
        assertThat(payload.get("id").asText()).isEqualTo(eventId);
        assertThat(payload.get("data").get("message_id").asText()).isEqualTo("msg_abc123");
        assertThat(arrived.header("webhook-id")).isEqualTo(eventId);

        JsonNode delivery = Eventually.get("delivered state", () -> Optional.of(
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
        var arrived = Eventually.get("the delivery", () -> receiver.received("/numbers").stream().findFirst());
        assertThat(arrived.body()).contains(
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
        Eventually.until("the delivery", () -> receiver.received("/once").size() == 1);
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
        receiver.answer("/flaky", 500);
        String webhook = createWebhook("/flaky", "bounced");
        api.post("/v1/events", "{\"type\":\"bounced\",\"data\":{}}");
        JsonNode failed = awaitDelivery(webhook, "failed");
        assertThat(api.get("/v1/deliveries/" + failed.get("id").asText()).json().get("attempts"))
                .allSatisfy(a -> {
                    assertThat(a.get("response_status").asInt()).isEqualTo(500);
                    assertThat(a.get("error_class").asText()).isEqualTo("status");
                });
        // The exhausted delivery disables the webhook (seed 002); a user turns it back on before retrying.
        Eventually.until("the webhook disabled", () -> api.get("/v1/webhooks/" + webhook).json()
                .get("status").asText().equals("disabled"));
        assertThat(api.post("/v1/deliveries/" + failed.get("id").asText() + "/retry", "").errorCode())
                .isEqualTo("webhook_disabled");
        api.patch("/v1/webhooks/" + webhook, "{\"status\":\"active\"}");
        receiver.answer("/flaky", 200);

        var retried = api.post("/v1/deliveries/" + failed.get("id").asText() + "/retry", "");

        assertThat(retried.status()).isEqualTo(202);
        awaitDelivery(webhook, "delivered");
    }

    @Test
    void recoverRequeuesFailedDeliveriesSinceTheGivenTime() {
        receiver.answer("/down", 503);
        String webhook = createWebhook("/down", "deferred");
        Instant before = Instant.now().minus(1, ChronoUnit.MINUTES);
        api.post("/v1/events", "{\"type\":\"deferred\",\"data\":{\"n\":1}}");
        api.post("/v1/events", "{\"type\":\"deferred\",\"data\":{\"n\":2}}");
        // Exhausting the first delivery disables the webhook, which cancels whatever is still pending.
        Eventually.until("the webhook disabled", () -> api.get("/v1/webhooks/" + webhook).json()
                .get("status").asText().equals("disabled"));
        Eventually.until("nothing pending", () -> api.get("/v1/webhooks/" + webhook
                + "/deliveries?status=pending").json().get("data").isEmpty());
        int failed = api.get("/v1/webhooks/" + webhook + "/deliveries?status=failed").json().get("data").size();
        assertThat(failed).isPositive();
        String body = "{\"since\":\"" + before + "\"}";
        assertThat(api.post("/v1/webhooks/" + webhook + "/recover", body).errorCode()).isEqualTo("webhook_disabled");
        api.patch("/v1/webhooks/" + webhook, "{\"status\":\"active\"}");
        receiver.answer("/down", 200);

        var recovered = api.post("/v1/webhooks/" + webhook + "/recover", body);

        assertThat(recovered.status()).isEqualTo(202);
        assertThat(recovered.json().get("requeued").asInt()).isEqualTo(failed);
        Eventually.until("the failed ones delivered", () -> api.get("/v1/webhooks/" + webhook
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
        var arrived = receiver.received("/test");
        assertThat(arrived).hasSize(1);
        assertThat(SeedExamples.parse(arrived.getFirst().body()).get("type").asText()).isEqualTo("webhook.test");
    }

    @Test
    void testEventToAFailingReceiverReportsTheFailure() {
        receiver.answer("/broken", 500);
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
        assertThat(receiver.received("/off")).isEmpty();
    }

    private String createWebhook(String path, String event) {
        var response = api.post("/v1/webhooks",
                "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"" + event + "\"]}");
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().get("id").asText();
    }

    private JsonNode awaitDelivery(String webhook, String status) {
        return Eventually.get("a " + status + " delivery", () -> Optional.of(
                api.get("/v1/webhooks/" + webhook + "/deliveries?status=" + status).json().get("data"))
                .filter(d -> !d.isEmpty())).get(0);
    }
}

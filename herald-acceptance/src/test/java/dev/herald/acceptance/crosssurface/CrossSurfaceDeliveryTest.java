package dev.herald.acceptance.crosssurface;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real deliveries (Herald's delivery engine sending to a receiver on 127.0.0.1) to a webhook created on
 * API Mall: its {@code secret_key} signs them, and the counters, last error and status every surface shows
 * agree.
 */
@ClassTemplate
class CrossSurfaceDeliveryTest {
    private static final String SECRET = "super-secret-signing-key";

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    private WebhookReceiver receiver;
    private ApiClient api;

    @BeforeEach
    void accountAndReceiver() {
        api = herald.client(herald.newAccount());
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void countersOfRealDeliveriesAgreeOnEverySurface() throws Exception {
        var created = api.post("/api/v1/webhooks", """
                {"url": "%s", "events": ["job.completed", "job.failed"], "secret_key": "%s"}"""
                .formatted(receiver.url("/mall"), SECRET));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        long id = created.json().at("/data/id").longValue();

        publish("job.completed");
        publish("job.failed");
        Await.until("two successful deliveries", () -> apiMall(id).get("total_sent").longValue() == 2);

        var arrived = receiver.requests("/mall").getFirst();
        String signed = arrived.header("webhook-id") + "." + arrived.header("webhook-timestamp") + "." + arrived.bodyText();
        assertThat(arrived.header("webhook-signature")).isEqualTo("v1," + hmacBase64(SECRET, signed));

        receiver.on("/mall", WebhookReceiver.status(500));
        publish("job.failed");
        int attempts = HeraldExtension.FAST_RETRY_ATTEMPTS;
        Await.until("every attempt of the failing delivery counted",
                () -> apiMall(id).get("total_failed").longValue() == attempts);
        Await.until("the three surfaces agree on the status", () -> statusesAgree(id));

        JsonNode mall = apiMall(id);
        assertThat(mall.get("total_sent").longValue()).isEqualTo(2);
        assertThat(mall.get("last_sent_at").asText()).matches(SeedConformance.MILLIS_TIME_PATTERN);
        assertThat(mall.get("last_error").asText()).isNotBlank();
        JsonNode canonical = canonical(id);
        assertThat(canonical.at("/stats/successful").longValue()).isEqualTo(2);
        assertThat(canonical.at("/stats/failed").longValue()).isEqualTo(attempts);
        assertThat(canonical.at("/stats/total_sent").longValue()).isEqualTo(2 + attempts);
        assertThat(canonical.get("last_error").asText()).isEqualTo(mall.get("last_error").asText());
        assertThat(receiver.requests("/mall")).hasSize(2 + attempts);
    }

    private void publish(String type) {
        var published = api.post("/v1/events", "{\"type\":\"" + type + "\",\"data\":{\"job\":\"j1\"}}");
        assertThat(published.status()).as(published.toString()).isEqualTo(202);
    }

    private boolean statusesAgree(long id) {
        String mall = apiMall(id).get("status").asText();
        String canonical = canonical(id).get("status").asText();
        boolean enabled = midmarket(id).get("enabled").asBoolean();
        return mall.equals(canonical) && enabled == List.of("active", "failing").contains(mall);
    }

    private JsonNode apiMall(long id) {
        return api.get("/api/v1/webhooks/" + id).json().get("data");
    }

    private JsonNode canonical(long id) {
        return find(api.get("/v1/webhooks").json().get("data"), apiMall(id).get("url").asText(), "url")
                .map(n -> api.get("/v1/webhooks/" + n.get("id").asText()).json()).orElseThrow();
    }

    private JsonNode midmarket(long id) {
        return find(api.get("/api/integrations/webhooks/subscriptions").json(), apiMall(id).get("url").asText(),
                "endpointUrl").orElseThrow();
    }

    private static Optional<JsonNode> find(JsonNode list, String url, String field) {
        for (JsonNode item : list) {
            if (item.get(field).asText().equals(url)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    private static String hmacBase64(String secret, String text) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}

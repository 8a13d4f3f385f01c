package dev.herald.acceptance.crosssurface;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.ApiResponse;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.core.endpoint.EndpointId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One endpoint, three dialects: what is created, changed, counted or deleted through one surface is what the
 * others show, because all of them are views of the same row.
 */
@ClassTemplate
class CrossSurfaceTest {
    private static final String API_MALL = "/api/v1/webhooks";
    private static final String MIDMARKET = "/api/integrations/webhooks/subscriptions";
    private static final String CANONICAL = "/v1/webhooks";
    private static final String URL = "https://your-app.example.com/api/webhooks/apimall";

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore().strictOutbound();

    private TestAccount account;
    private ApiClient api;

    @BeforeEach
    void newAccount() {
        account = herald.newAccount();
        api = herald.client(account);
    }

    @Test
    void webhookCreatedOnApiMallIsTheSameResourceOnCanonicalAndMidmarket() {
        JsonNode created = apiMallCreate();
        String createdAt = created.at("/data/created_at").asText();

        JsonNode canonical = api.get(CANONICAL + "/" + canonicalId(URL)).json();
        assertThat(canonical.get("url").asText()).isEqualTo(URL);
        assertThat(canonical.get("events").toString()).isEqualTo("[\"job.completed\",\"job.failed\"]");
        assertThat(canonical.get("status").asText()).isEqualTo("active");
        assertThat(canonical.get("created_at").asText()).isEqualTo(createdAt.substring(0, 19) + "Z");

        String uuid = midmarketId(URL);
        JsonNode midmarket = api.get(MIDMARKET + "/" + uuid).json();
        assertThat(midmarket.get("endpointUrl").asText()).isEqualTo(URL);
        assertThat(midmarket.get("eventTypes").toString()).isEqualTo("[\"job.completed\",\"job.failed\"]");
        assertThat(midmarket.get("enabled").asBoolean()).isTrue();
        assertThat(midmarket.get("workspaceId").asText())
                .isEqualTo(herald.store().accounts().find(account.account()).orElseThrow().uuid().toString());
        assertThat(midmarket.get("createdAt").asText()).isEqualTo(createdAt.substring(0, 19) + "Z");
        assertThat(midmarket.has("secret")).isFalse();
    }

    @Test
    void changesMadeOnMidmarketShowOnApiMallAndCanonical() {
        long id = apiMallCreate().at("/data/id").longValue();
        String uuid = midmarketId(URL);
        String whId = canonicalId(URL);

        ApiResponse disabled = api.patch(MIDMARKET + "/" + uuid, "{\"enabled\":false}");
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(apiMall(id).get("status").asText()).isEqualTo("paused");
        assertThat(api.get(CANONICAL + "/" + whId).json().get("status").asText()).isEqualTo("paused");

        api.patch(MIDMARKET + "/" + uuid, "{\"enabled\":true,\"endpointUrl\":\"https://your-app.example.com/v2\"}");
        JsonNode enabled = apiMall(id);
        assertThat(enabled.get("status").asText()).isEqualTo("active");
        assertThat(enabled.get("url").asText()).isEqualTo("https://your-app.example.com/v2");
        assertThat(api.get(CANONICAL + "/" + whId).json().get("url").asText())
                .isEqualTo("https://your-app.example.com/v2");

        api.patch(API_MALL + "/" + id, "{\"status\":\"disabled\"}");
        assertThat(api.get(MIDMARKET + "/" + uuid).json().get("enabled").asBoolean()).isFalse();
        assertThat(api.get(CANONICAL + "/" + whId).json().get("status").asText()).isEqualTo("disabled");
    }

    @Test
    void subscriptionCreatedOnMidmarketIsReadableOnApiMall() {
        ApiResponse created = api.post(MIDMARKET, """
                {"endpointUrl": "https://your-server.example.com/webhooks",
                 "eventTypes": ["asset.processing.completed"], "description": "from Midmarket"}""");
        assertThat(created.status()).isEqualTo(200);

        JsonNode item = StreamSupport.stream(api.get(API_MALL).json().get("data").spliterator(), false)
                .filter(n -> n.get("url").asText().equals("https://your-server.example.com/webhooks"))
                .findFirst().orElseThrow();
        assertThat(item.get("events").toString()).isEqualTo("[\"asset.processing.completed\"]");
        assertThat(item.get("api_key_id").longValue()).isEqualTo(account.keyId().value());
        assertThat(item.get("status").asText()).isEqualTo("active");
    }

    @Test
    void deliveryCountersAgreeOnApiMallAndCanonical() {
        long id = apiMallCreate().at("/data/id").longValue();
        var endpoint = herald.store().endpoints().find(account.account(), new EndpointId(id)).orElseThrow();
        Instant at = Instant.parse("2026-03-12T08:58:00.250Z");
        RecordedAttempts.record(herald.store(), endpoint, 5, 2, at);

        JsonNode apiMall = apiMall(id);
        assertThat(apiMall.get("total_sent").longValue()).isEqualTo(5);
        assertThat(apiMall.get("total_failed").longValue()).isEqualTo(2);
        assertThat(apiMall.get("last_sent_at").asText()).isEqualTo("2026-03-12T08:58:00.256Z");
        assertThat(apiMall.get("last_error").asText()).contains(RecordedAttempts.FAILURE_MESSAGE);

        JsonNode canonical = api.get(CANONICAL + "/" + canonicalId(URL)).json();
        assertThat(canonical.at("/stats/successful").longValue()).isEqualTo(5);
        assertThat(canonical.at("/stats/failed").longValue()).isEqualTo(2);
        assertThat(canonical.at("/stats/total_sent").longValue()).isEqualTo(7);
        assertThat(canonical.get("last_error").asText()).isEqualTo(apiMall.get("last_error").asText());

        JsonNode listed = api.get(API_MALL).json().at("/data/0");
        assertThat(listed.get("total_sent")).isEqualTo(apiMall.get("total_sent"));
        assertThat(listed.get("total_failed")).isEqualTo(apiMall.get("total_failed"));
    }

    @Test
    void deletingOnOneSurfaceRemovesItFromAll() {
        long id = apiMallCreate().at("/data/id").longValue();
        String uuid = midmarketId(URL);
        String whId = canonicalId(URL);

        assertThat(api.delete(MIDMARKET + "/" + uuid).status()).isEqualTo(204);

        assertThat(api.get(API_MALL + "/" + id).status()).isEqualTo(404);
        assertThat(api.get(CANONICAL + "/" + whId).status()).isEqualTo(404);
        assertThat(api.get(API_MALL).json().get("data")).isEmpty();
    }

    private JsonNode apiMallCreate() {
        ApiResponse created = api.post(API_MALL, """
                {"url": "%s", "events": ["job.completed", "job.failed"], "secret_key": "super-secret-signing-key"}"""
                .formatted(URL));
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.json();
    }

    private JsonNode apiMall(long id) {
        ApiResponse response = api.get(API_MALL + "/" + id);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("data");
    }

    /** The {@code wh_} id, found the way a canonical client would: in the list. */
    private String canonicalId(String url) {
        return StreamSupport.stream(api.get(CANONICAL).json().get("data").spliterator(), false)
                .filter(n -> n.get("url").asText().equals(url))
                .findFirst().orElseThrow().get("id").asText();
    }

    /** The UUID, found the way a Midmarket client would: in its list. */
    private String midmarketId(String url) {
        return StreamSupport.stream(api.get(MIDMARKET).json().spliterator(), false)
                .filter(n -> n.get("endpointUrl").asText().equals(url))
                .findFirst().orElseThrow().get("id").asText();
    }
}

package dev.herald.acceptance.canonical;

import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.acceptance.testing.SeedExamples;
import dev.herald.core.endpoint.WebhookId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every request example of seeds 003 (MailingAPI) and 002 (APIMW) as written, against our host with a
 * real key, and checks each response field by field against the documents' examples.
 */
@ClassTemplate
class SeedWebhooksTest {
    /** Herald's default {@code secrets.rotation-overlap}. */
    private static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

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
    void mailingApiCreateAnswersLikeTheSeedExample() {
        var response = api.post("/v1/webhooks", SEED_003_CREATE);

        assertThat(response.status()).isEqualTo(201);
        SeedExamples.assertMatches("""
                {
                "id": "wh_abc123",
                "url": "https://yourapp.com/webhooks/mailingapi",
                "events": ["delivered", "bounced", "complained", "opened", "clicked"],
                "description": "Production webhook",
                "secret": "whsec_1a2b3c4d5e6f...",
                "status": "active",
                "created_at": "2024-01-15T10:00:00Z"
                }""", response.json());
        assertThat(response.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    }

    @Test
    void mailingApiListShowsTheWebhookWithoutItsSecret() {
        String id = api.post("/v1/webhooks", SEED_003_CREATE).json().get("id").asText();

        var response = api.get("/v1/webhooks");

        assertThat(response.status()).isEqualTo(200);
        SeedExamples.assertMatches("""
                {
                "data": [
                {
                "id": "wh_abc123",
                "url": "https://yourapp.com/webhooks/mailingapi",
                "events": ["delivered", "bounced"],
                "status": "active",
                "created_at": "2024-01-15T10:00:00Z"
                }
                ]
                }""", response.json());
        var data = response.json().get("data");
        assertThat(data).hasSize(1);
        assertThat(data.get(0).get("id").asText()).isEqualTo(id);
        assertThat(data.get(0).has("secret")).isFalse();
        assertThat(response.json().get("has_more").asBoolean()).isFalse();
        assertThat(response.json().get("next_cursor").isNull()).isTrue();
    }

    @Test
    void mailingApiGetShowsStats() {
        String id = api.post("/v1/webhooks", SEED_003_CREATE).json().get("id").asText();

        var response = api.get("/v1/webhooks/" + id);

        assertThat(response.status()).isEqualTo(200);
        SeedExamples.assertMatches("""
                {
                "id": "wh_abc123",
                "url": "https://yourapp.com/webhooks/mailingapi",
                "events": ["delivered", "bounced", "complained", "opened", "clicked"],
                "description": "Production webhook",
                "status": "active",
                "created_at": "2024-01-15T10:00:00Z",
                "stats": {
                "total_sent": 15420,
                "successful": 15380,
                "failed": 40,
                "last_success": "2024-01-20T15:30:00Z",
                "last_failure": "2024-01-20T14:00:00Z"
                }
                }""", response.json());
        var json = response.json();
        assertThat(json.get("id").asText()).isEqualTo(id);
        assertThat(json.has("secret")).isFalse();
        assertThat(json.get("stats").get("total_sent").asLong()).isZero();
        assertThat(json.get("stats").get("last_success").isNull()).isTrue();
        assertThat(json.get("last_error").isNull()).isTrue();
    }

    @Test
    void mailingApiPatchPausesAndNarrowsEvents() {
        String id = api.post("/v1/webhooks", SEED_003_CREATE).json().get("id").asText();

        var response = api.patch("/v1/webhooks/" + id, """
                {
                "events": ["delivered", "bounced"],
                "status": "paused"
                }""");

        assertThat(response.status()).isEqualTo(200);
        SeedExamples.assertMatches("""
                {
                "id": "wh_abc123",
                "url": "https://yourapp.com/webhooks/mailingapi",
                "events": ["delivered", "bounced"],
                "status": "paused",
                "updated_at": "2024-01-20T16:00:00Z"
                }""", response.json());
        assertThat(response.json().get("id").asText()).isEqualTo(id);
        assertThat(api.get("/v1/webhooks/" + id).json().get("status").asText()).isEqualTo("paused");
    }

    @Test
    void mailingApiDeleteAnswers204AndTheWebhookIsGone() {
        String id = api.post("/v1/webhooks", SEED_003_CREATE).json().get("id").asText();

        var response = api.delete("/v1/webhooks/" + id);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        var after = api.get("/v1/webhooks/" + id);
        assertThat(after.status()).isEqualTo(404);
        assertThat(after.errorCode()).isEqualTo("webhook_not_found");
        assertThat(api.get("/v1/webhooks").json().get("data")).isEmpty();
    }

    @Test
    void apimwRegisterKeepsTheGivenSecret() {
        var response = api.post("/v1/webhooks", """
                {
                    "url": "https://yourapp.com/webhooks/apimw",
                    "events": ["message.sent", "message.delivered", "message.received"],
                    "secret": "your_webhook_secret"
                  }""");

        assertThat(response.status()).isEqualTo(201);
        SeedExamples.assertMatches("""
                {
                "id": "wh_abc123",
                "url": "https://yourapp.com/webhooks/apimw",
                "events": ["message.sent", "message.delivered", "message.received"],
                "secret": "your_webhook_secret",
                "status": "active",
                "created_at": "2024-01-15T10:00:00Z"
                }""", response.json());
        String id = response.json().get("id").asText();
        assertThat(api.get("/v1/webhooks/" + id).json().has("secret")).isFalse();
    }

    @Test
    void rotatingReturnsTheNewSecretOnce() {
        String id = api.post("/v1/webhooks", SEED_003_CREATE).json().get("id").asText();

        var generated = api.post("/v1/webhooks/" + id + "/secret/rotate", "");
        var given = api.post("/v1/webhooks/" + id + "/secret/rotate", "{\"secret\":\"my_new_secret_value\"}");

        assertThat(generated.status()).isEqualTo(200);
        assertThat(generated.json().get("id").asText()).isEqualTo(id);
        assertThat(generated.json().get("secret").asText()).matches(SeedExamples.GENERATED_SECRET);
        assertThat(given.json().get("secret").asText()).isEqualTo("my_new_secret_value");
        assertThat(api.get("/v1/webhooks/" + id).json().has("secret")).isFalse();
        var endpoint = herald.store().endpoints().findByPublicId(account.account(), new WebhookId(id)).orElseThrow();
        // The create secret and the first rotation stay valid during the overlap, newest first.
        var secrets = herald.store().endpoints().activeSecrets(endpoint.id(), Instant.now());
        assertThat(secrets).hasSize(3);
        assertThat(secrets.getFirst().secret().value()).isEqualTo("my_new_secret_value");
        assertThat(herald.store().endpoints().activeSecrets(endpoint.id(),
                Instant.now().plus(ROTATION_OVERLAP).plusSeconds(60))).hasSize(1);
    }

    /** Seed 003's create request body exactly as its curl example sends it. */
    private static final String SEED_003_CREATE = """
            {
            "url": "https://yourapp.com/webhooks/mailingapi",
            "events": ["delivered", "bounced", "complained", "opened", "clicked"],
            "description": "Production webhook"
            }""";
}

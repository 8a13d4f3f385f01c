package dev.herald.acceptance.canonical;

import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Create options, partial updates, idempotent repeats and the event-type catalog of the canonical surface. */
@ClassTemplate
class WebhookChangesTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    private TestAccount account;
    private ApiClient api;

    @BeforeEach
    void newAccount() {
        account = herald.newAccount();
        api = herald.client(account);
    }

    @Test
    void createKeepsScopeRateLimitAndHeaders() {
        var response = api.post("/v1/webhooks", """
                {"url":"https://example.com/h","events":["*"],"api_key_id":%d,"rate_limit":5,
                 "headers":{"X-Tenant":"acme"}}""".formatted(account.keyId().value()));

        assertThat(response.status()).isEqualTo(201);
        var json = response.json();
        assertThat(json.get("api_key_id").asLong()).isEqualTo(account.keyId().value());
        assertThat(json.get("rate_limit").asInt()).isEqualTo(5);
        assertThat(json.get("headers").get("X-Tenant").asText()).isEqualTo("acme");
        assertThat(json.get("events").get(0).asText()).isEqualTo("*");
        assertThat(json.get("description").isNull()).isTrue();
    }

    @Test
    void patchChangesOnlyTheGivenFieldsAndNullClears() {
        String id = api.post("/v1/webhooks", """
                {"url":"https://example.com/h","events":["opened"],"description":"d","rate_limit":7}""")
                .json().get("id").asText();

        var response = api.patch("/v1/webhooks/" + id, """
                {"url":"https://example.com/new","description":null,"rate_limit":null,"headers":{"X-A":"b"}}""");

        assertThat(response.status()).isEqualTo(200);
        var json = response.json();
        assertThat(json.get("url").asText()).isEqualTo("https://example.com/new");
        assertThat(json.get("events").toString()).isEqualTo("[\"opened\"]");
        assertThat(json.get("description").isNull()).isTrue();
        assertThat(json.get("rate_limit").isNull()).isTrue();
        assertThat(json.get("headers").get("X-A").asText()).isEqualTo("b");
        assertThat(json.get("status").asText()).isEqualTo("active");
        assertThat(api.get("/v1/webhooks/" + id).json().get("url").asText()).isEqualTo("https://example.com/new");
    }

    @Test
    void statusCanBeDisabledAndActivatedAgainByTheUser() {
        String id = api.post("/v1/webhooks", "{\"url\":\"https://example.com/h\",\"events\":[\"opened\"]}")
                .json().get("id").asText();

        assertThat(api.patch("/v1/webhooks/" + id, "{\"status\":\"disabled\"}").json().get("status").asText())
                .isEqualTo("disabled");
        assertThat(api.patch("/v1/webhooks/" + id, "{\"status\":\"active\"}").json().get("status").asText())
                .isEqualTo("active");
    }

    @Test
    void theXApiKeyHeaderAuthenticatesToo() {
        var response = herald.anonymousClient().withHeader("X-API-Key", account.key()).get("/v1/webhooks");

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void repeatingACreateWithTheSameIdempotencyKeyReplaysTheFirstResponse() {
        ApiClient keyed = api.withHeader("Idempotency-Key", "create-once");
        String body = "{\"url\":\"https://example.com/h\",\"events\":[\"opened\"]}";

        var first = keyed.post("/v1/webhooks", body);
        var second = keyed.post("/v1/webhooks", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(second.header("Idempotent-Replayed")).hasValue("true");
        assertThat(api.get("/v1/webhooks").json().get("data")).hasSize(1);
    }

    @Test
    void concurrentRepeatsOfOneIdempotencyKeyCreateOneWebhook() {
        ApiClient keyed = api.withHeader("Idempotency-Key", "concurrent-once");
        String body = "{\"url\":\"https://example.com/h\",\"events\":[\"opened\"]}";

        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> keyed.post("/v1/webhooks", body).json().get("id").asText()));
        }

        assertThat(calls.stream().map(CompletableFuture::join).distinct().toList()).hasSize(1);
        assertThat(api.get("/v1/webhooks").json().get("data")).hasSize(1);
    }

    @Test
    void idempotencyKeysOfOneAccountDoNotAffectAnother() {
        String body = "{\"url\":\"https://example.com/h\",\"events\":[\"opened\"]}";
        ApiClient other = herald.client(herald.newAccount()).withHeader("Idempotency-Key", "shared");

        var mine = api.withHeader("Idempotency-Key", "shared").post("/v1/webhooks", body);
        var theirs = other.post("/v1/webhooks", body);

        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.json().get("id")).isNotEqualTo(mine.json().get("id"));
    }

    @Test
    void failedRequestsAreNotRememberedSoACorrectedRetryRuns() {
        ApiClient keyed = api.withHeader("Idempotency-Key", "fix-and-retry");

        var failed = keyed.post("/v1/webhooks", "{\"url\":\"https://10.0.0.1/\",\"events\":[\"opened\"]}");
        var fixed = keyed.post("/v1/webhooks", "{\"url\":\"https://example.com/\",\"events\":[\"opened\"]}");

        assertThat(failed.status()).isEqualTo(400);
        assertThat(fixed.status()).isEqualTo(201);
    }

    @Test
    void eventTypesListTheSeedCatalogAndTheAccountsOwnTypes() {
        var created = api.post("/v1/event-types", """
                {"name":"order.created","description":"An order was placed","schema":{"type":"object"}}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("name").asText()).isEqualTo("order.created");
        assertThat(created.json().get("schema").get("type").asText()).isEqualTo("object");
        var list = api.get("/v1/event-types").json().get("data");
        var names = new ArrayList<String>();
        list.forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).contains("delivered", "job.completed", "message.sent", "asset.processing.failed",
                "order.created", "webhook.test");
        list.forEach(t -> assertThat(t.has("description")).isTrue());
        assertThat(api.post("/v1/webhooks", "{\"url\":\"https://example.com/\",\"events\":[\"order.created\"]}")
                .status()).isEqualTo(201);
        ApiClient other = herald.client(herald.newAccount());
        assertThat(other.post("/v1/webhooks", "{\"url\":\"https://example.com/\",\"events\":[\"order.created\"]}")
                .errorCode()).isEqualTo("invalid_events");
    }

    @Test
    void deletingAnOwnEventTypeRemovesItFromTheCatalog() {
        api.post("/v1/event-types", "{\"name\":\"order.shipped\"}");

        var deleted = api.delete("/v1/event-types/order.shipped");

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/v1/event-types").body()).doesNotContain("order.shipped");
        assertThat(api.delete("/v1/event-types/order.shipped").errorCode()).isEqualTo("event_type_not_found");
    }
}

package dev.herald.acceptance.midmarket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.ApiResponse;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.acceptance.crosssurface.SeedConformance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static dev.herald.acceptance.crosssurface.SeedConformance.SECONDS_TIME;
import static dev.herald.acceptance.crosssurface.SeedConformance.UUID;
import static dev.herald.acceptance.crosssurface.SeedConformance.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays seed 004's (Midmarket) request example — its cURL form with {@code X-API-Key}, and the same request
 * with {@code Authorization: Bearer} — and compares the response field by field with the document's example;
 * then exercises list, get, update and delete in the same style.
 */
@ClassTemplate
class MidmarketSeedExamplesTest {
    /** The body exactly as seed 004's cURL example sends it (the quoted text starts and ends with a newline). */
    static final String SEED_004_BODY = """

            {
              "description": "Notify when an asset finishes processing",
              "endpointUrl": "https://your-server.example.com/webhooks",
              "eventTypes": [
                "asset.processing.completed"
              ]
            }
            """;
    static final String SEED_004_RESPONSE = """
            {
              "id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
              "workspaceId": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
              "endpointUrl": "<string>",
              "eventTypes": [
                "<string>"
              ],
              "enabled": true,
              "createdAt": "2023-11-07T05:31:56Z",
              "updatedAt": "2023-11-07T05:31:56Z",
              "secret": "<string>",
              "description": "<string>"
            }""";
    static final String BASE = "/api/integrations/webhooks/subscriptions";
    static final String SEED_URL = "https://your-server.example.com/webhooks";

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore().strictOutbound();

    private TestAccount account;
    private String workspaceId;

    @BeforeEach
    void newAccount() {
        account = herald.newAccount();
        workspaceId = herald.store().accounts().find(account.account()).orElseThrow().uuid().toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-API-Key", "Authorization"})
    void createAnswersLikeSeed004Example(String keyHeader) {
        ApiResponse response = send("POST", BASE, Optional.of(SEED_004_BODY), keyHeader);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode json = response.json();
        SeedConformance.assertConforms(json, SeedConformance.parse(SEED_004_RESPONSE), Map.of(
                "/id", UUID,
                "/workspaceId", equalTo(workspaceId),
                "/endpointUrl", equalTo(SEED_URL),
                "/eventTypes", n -> n.toString().equals("[\"asset.processing.completed\"]"),
                "/createdAt", SECONDS_TIME,
                "/updatedAt", SECONDS_TIME,
                "/secret", SeedConformance.text("whsec_[A-Za-z0-9+/]{43}="),
                "/description", equalTo("Notify when an asset finishes processing")));
        assertThat(response.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("req_[0-9A-Za-z]{26}"));
    }

    @Test
    void anXApiKeyIsHonouredWhenAProxyAddsAnAuthorizationHeaderOfAnotherScheme() {
        var withBasic = herald.anonymousClient().withHeader("X-API-Key", account.key())
                .withHeader("Authorization", "Basic cHJveHk6cGFzcw==");
        var basicAlone = herald.anonymousClient().withHeader("Authorization", "Basic cHJveHk6cGFzcw==");

        ApiResponse accepted = withBasic.send("GET", BASE, Optional.empty(), Map.of());
        ApiResponse refused = basicAlone.send("GET", BASE, Optional.empty(), Map.of());

        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
    }

    @Test
    void listIsABareArrayOfSubscriptionsWithoutSecrets() {
        String first = create().get("id").asText();
        String second = create().get("id").asText();

        ApiResponse response = send("GET", BASE, Optional.empty(), "X-API-Key");

        assertThat(response.status()).isEqualTo(200);
        JsonNode list = response.json();
        assertThat(list.isArray()).isTrue();
        assertThat(list).extracting(n -> n.get("id").asText()).containsExactly(second, first);
        for (JsonNode item : list) {
            SeedConformance.assertConforms(item, ((com.fasterxml.jackson.databind.node.ObjectNode) SeedConformance.parse(SEED_004_RESPONSE))
                    .without("secret"), Map.of(
                    "/id", UUID,
                    "/workspaceId", equalTo(workspaceId),
                    "/endpointUrl", equalTo(SEED_URL),
                    "/eventTypes", n -> n.toString().equals("[\"asset.processing.completed\"]"),
                    "/createdAt", SECONDS_TIME,
                    "/updatedAt", SECONDS_TIME,
                    "/description", equalTo("Notify when an asset finishes processing")));
            assertThat(item.has("secret")).isFalse();
        }
    }

    @Test
    void getUpdateAndDeleteUseTheUuid() {
        String id = create().get("id").asText();

        ApiResponse got = send("GET", BASE + "/" + id, Optional.empty(), "X-API-Key");
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("id").asText()).isEqualTo(id);
        assertThat(got.json().has("secret")).isFalse();

        ApiResponse disabled = send("PATCH", BASE + "/" + id, Optional.of("""
                {"enabled": false, "endpointUrl": "https://your-server.example.com/v2", "description": null,
                 "eventTypes": ["asset.processing.failed", "asset.processing.completed"]}"""), "X-API-Key");
        assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().get("endpointUrl").asText()).isEqualTo("https://your-server.example.com/v2");
        assertThat(disabled.json().get("description").isNull()).isTrue();
        assertThat(disabled.json().get("eventTypes").toString())
                .isEqualTo("[\"asset.processing.failed\",\"asset.processing.completed\"]");
        assertThat(disabled.json().has("secret")).isFalse();

        ApiResponse enabled = send("PATCH", BASE + "/" + id, Optional.of("{\"enabled\": true}"), "X-API-Key");
        assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
        assertThat(enabled.json().get("endpointUrl").asText()).isEqualTo("https://your-server.example.com/v2");

        ApiResponse deleted = send("DELETE", BASE + "/" + id, Optional.empty(), "X-API-Key");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();

        ApiResponse gone = send("GET", BASE + "/" + id, Optional.empty(), "X-API-Key");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("detail").isTextual()).isTrue();
        assertThat(send("GET", BASE, Optional.empty(), "X-API-Key").json()).isEmpty();
    }

    @Test
    void createIsIdempotentWithAnIdempotencyKey() {
        var client = herald.client(account).withHeader("Idempotency-Key", "subscribe-once");

        JsonNode first = client.post(BASE, SEED_004_BODY).json();
        JsonNode second = client.post(BASE, SEED_004_BODY).json();

        assertThat(second.get("id")).isEqualTo(first.get("id"));
        assertThat(herald.client(account).get(BASE).json()).hasSize(1);
    }

    private JsonNode create() {
        ApiResponse created = send("POST", BASE, Optional.of(SEED_004_BODY), "X-API-Key");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.json();
    }

    /** A request authenticated the way seed 004 shows ({@code X-API-Key}) or with a Bearer token. */
    private ApiResponse send(String method, String path, Optional<String> body, String keyHeader) {
        ApiClient anonymous = herald.anonymousClient();
        String value = keyHeader.equals("Authorization") ? "Bearer " + account.key() : account.key();
        var headers = body.isPresent()
                ? Map.of(keyHeader, value, "Content-Type", "application/json")
                : Map.of(keyHeader, value);
        return anonymous.send(method, path, body.map(b -> b.getBytes(StandardCharsets.UTF_8)), headers);
    }
}

package dev.herald.acceptance.apimall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.ApiResponse;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.acceptance.crosssurface.RecordedAttempts;
import dev.herald.acceptance.crosssurface.SeedConformance;
import dev.herald.core.endpoint.EndpointId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.herald.acceptance.crosssurface.SeedConformance.INTEGER;
import static dev.herald.acceptance.crosssurface.SeedConformance.MILLIS_TIME;
import static dev.herald.acceptance.crosssurface.SeedConformance.REQUEST_ID;
import static dev.herald.acceptance.crosssurface.SeedConformance.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every request example of seeds 000 and 001 (API Mall) — the cURL and the JavaScript {@code fetch}
 * forms, with their exact methods, headers and bodies — and compares each response field by field with the
 * documents' response examples.
 */
@ClassTemplate
class ApiMallSeedExamplesTest {
    /** Seed 000's request body exactly as its cURL example sends it. */
    static final String SEED_000_CURL_BODY = """
            {
              "url": "https://your-app.example.com/api/webhooks/apimall",
              "events": [
                "job.completed",
                "job.failed"
              ],
              "secret_key": "super-secret-signing-key"
            }""";
    /** The same payload as the JavaScript example sends it: {@code JSON.stringify(payload)}. */
    static final String SEED_000_FETCH_BODY = "{\"url\":\"https://your-app.example.com/api/webhooks/apimall\","
            + "\"events\":[\"job.completed\",\"job.failed\"],\"secret_key\":\"super-secret-signing-key\"}";
    static final String SEED_000_RESPONSE = """
            {
              "success": true,
              "data": {
                "id": 8,
                "url": "https://your-app.example.com/api/webhooks/apimall",
                "events": [
                  "job.completed",
                  "job.failed"
                ],
                "status": "active",
                "api_key_id": 12,
                "created_at": "2026-03-12T09:55:00.000Z",
                "updated_at": "2026-03-12T09:55:00.000Z"
              },
              "request_id": "req_01HQ9M7J7X9P7Y8T6W5V4U3S2R"
            }""";
    static final String SEED_000_ERROR = """
            {
              "success": false,
              "error": {
                "code": "invalid_request",
                "message": "Invalid webhook URL"
              },
              "request_id": "req_01HQ9M7J7X9P7Y8T6W5V4U3S2R"
            }""";
    static final String SEED_001_RESPONSE = """
            {
              "success": true,
              "data": [
                {
                  "id": 8,
                  "url": "https://your-app.example.com/api/webhooks/apimall",
                  "events": [
                    "job.completed",
                    "job.failed"
                  ],
                  "status": "active",
                  "api_key_id": 12,
                  "total_sent": 32,
                  "total_failed": 1,
                  "last_sent_at": "2026-03-12T08:58:00.000Z",
                  "last_error": null,
                  "created_at": "2026-03-10T08:05:00.000Z",
                  "updated_at": "2026-03-12T08:58:00.000Z"
                }
              ],
              "request_id": "req_01HQ9M7J7X9P7Y8T6W5V4U3S2R"
            }""";
    static final String SEED_001_ERROR = """
            {
              "success": false,
              "error": {
                "code": "unauthorized",
                "message": "Unauthorized"
              },
              "request_id": "req_01HQ9M7J7X9P7Y8T6W5V4U3S2R"
            }""";
    static final String BASE = "/api/v1/webhooks";

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore().strictOutbound();

    private TestAccount account;
    private ApiClient api;

    @BeforeEach
    void newAccount() {
        account = herald.newAccount();
        api = herald.client(account).anonymous();
    }

    /** One way the seed shows a request: its headers (the key added by the test) and body. */
    private record Replay(String name, Map<String, String> headers, Optional<String> body) {
        ApiResponse send(ApiClient client, TestAccount account, String method, String path) {
            var all = new java.util.LinkedHashMap<String, String>();
            all.put("Authorization", "Bearer " + account.key());
            all.putAll(headers);
            return client.send(method, path, body.map(b -> b.getBytes(StandardCharsets.UTF_8)), all);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Replay> createReplays() {
        return Stream.of(
                new Replay("cURL", Map.of("Content-Type", "application/json"), Optional.of(SEED_000_CURL_BODY)),
                new Replay("fetch", Map.of("Content-Type", "application/json"), Optional.of(SEED_000_FETCH_BODY)));
    }

    static Stream<Replay> listReplays() {
        // cURL sends only the Authorization header; fetch sends it with no body and no content type either
        return Stream.of(new Replay("cURL", Map.of(), Optional.empty()), new Replay("fetch", Map.of(), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("createReplays")
    void createAnswersLikeSeed000Example(Replay replay) {
        ApiResponse response = replay.send(api, account, "POST", BASE);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode json = response.json();
        SeedConformance.assertConforms(json, SeedConformance.parse(SEED_000_RESPONSE), Map.of(
                "/data/id", INTEGER,
                "/data/api_key_id", equalTo(account.keyId().value()),
                "/data/created_at", MILLIS_TIME,
                "/data/updated_at", MILLIS_TIME,
                "/request_id", REQUEST_ID));
        assertThat(json.at("/data/secret_key").asText()).isEqualTo("super-secret-signing-key");
        assertThat(json.at("/data/secret").asText()).as("DESIGN §8: every create response carries secret")
                .isEqualTo("super-secret-signing-key");
        assertThat(response.header("X-Request-Id")).contains(json.get("request_id").asText());
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listReplays")
    void listAnswersLikeSeed001ExampleWithDeliveryCounters(Replay replay) {
        long id = createFromSeed().at("/data/id").longValue();
        var endpoint = herald.store().endpoints().find(account.account(), new EndpointId(id)).orElseThrow();
        Instant deliveredAt = Instant.parse("2026-03-12T08:58:00.123Z");
        RecordedAttempts.record(herald.store(), endpoint, 32, 1, deliveredAt);

        ApiResponse response = replay.send(api, account, "GET", BASE);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode json = response.json();
        SeedConformance.assertConforms(json, SeedConformance.parse(SEED_001_RESPONSE), Map.<String, Predicate<JsonNode>>of(
                "/data/0/id", equalTo(id),
                "/data/0/api_key_id", equalTo(account.keyId().value()),
                "/data/0/last_sent_at", equalTo("2026-03-12T08:58:00.155Z"),
                // our store keeps the last error after later successes; the seed example shows null
                "/data/0/last_error", SeedConformance.NULL_OR_STRING,
                "/data/0/created_at", MILLIS_TIME,
                "/data/0/updated_at", MILLIS_TIME,
                "/request_id", REQUEST_ID));
        assertThat(json.at("/data/0/secret_key").isMissingNode()).as("the secret is shown only at creation").isTrue();
        assertThat(json.at("/data/0/secret").isMissingNode()).as("the secret is shown only at creation").isTrue();
    }

    @Test
    void listOfANewAccountIsAnEmptyArray() {
        ApiResponse response = api.send("GET", BASE, Optional.empty(), Map.of("Authorization", "Bearer " + account.key()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("data").isArray()).isTrue();
        assertThat(response.json().get("data")).isEmpty();
        assertThat(response.json().get("success").asBoolean()).isTrue();
    }

    @Test
    void invalidUrlAnswersLikeSeed000ErrorExample() {
        ApiResponse response = herald.client(account).post(BASE, SEED_000_FETCH_BODY.replace("https://", "http://"));

        assertThat(response.status()).isEqualTo(400);
        SeedConformance.assertConforms(response.json(), SeedConformance.parse(SEED_000_ERROR), Map.of(
                "/error/message", SeedConformance.text("Invalid webhook URL: .*HTTPS.*"),
                "/request_id", REQUEST_ID));
    }

    @Test
    void missingKeyAnswersLikeSeed001ErrorExample() {
        ApiResponse response = herald.anonymousClient().get(BASE);

        assertThat(response.status()).isEqualTo(401);
        SeedConformance.assertConforms(response.json(), SeedConformance.parse(SEED_001_ERROR), Map.of(
                "/error/message", SeedConformance.text("Unauthorized.*"),
                "/request_id", REQUEST_ID));
        assertThat(response.header("X-Request-Id")).contains(response.json().get("request_id").asText());
    }

    @Test
    void createWithoutSecretKeyReturnsTheGeneratedSecretOnce() {
        ApiResponse created = herald.client(account).post(BASE,
                "{\"url\":\"https://your-app.example.com/hooks\",\"events\":[\"job.completed\"]}");

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().at("/data/secret_key").asText()).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(created.json().at("/data/secret").asText()).isEqualTo(created.json().at("/data/secret_key").asText());
        long id = created.json().at("/data/id").longValue();
        ApiResponse read = herald.client(account).get(BASE + "/" + id);
        assertThat(read.json().at("/data/secret_key").isMissingNode()).isTrue();
        assertThat(read.json().at("/data/secret").isMissingNode()).isTrue();
    }

    @Test
    void explicitApiKeyIdOfTheCallingKeyIsShownAndAccepted() {
        ApiResponse created = herald.client(account).post(BASE, "{\"url\":\"https://your-app.example.com/hooks\","
                + "\"events\":[\"job.failed\"],\"api_key_id\":" + account.keyId().value() + "}");

        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        assertThat(created.json().at("/data/api_key_id").longValue()).isEqualTo(account.keyId().value());
    }

    @Test
    void getUpdateAndDeleteUseTheIntegerIdInTheSameEnvelope() {
        var client = herald.client(account);
        long id = createFromSeed().at("/data/id").longValue();

        ApiResponse got = client.get(BASE + "/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().at("/data/id").longValue()).isEqualTo(id);
        assertThat(got.json().at("/data/total_sent").longValue()).isZero();
        assertThat(got.json().at("/data/last_sent_at").isNull()).isTrue();
        assertThat(got.json().at("/data/last_error").isNull()).isTrue();

        ApiResponse paused = client.patch(BASE + "/" + id,
                "{\"status\":\"paused\",\"url\":\"https://your-app.example.com/v2\",\"events\":[\"job.failed\"]}");
        assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
        assertThat(paused.json().get("success").asBoolean()).isTrue();
        assertThat(paused.json().at("/data/status").asText()).isEqualTo("paused");
        assertThat(paused.json().at("/data/url").asText()).isEqualTo("https://your-app.example.com/v2");
        assertThat(paused.json().at("/data/events").toString()).isEqualTo("[\"job.failed\"]");
        assertThat(paused.json().at("/data/updated_at").asText()).matches(SeedConformance.MILLIS_TIME_PATTERN);

        ApiResponse deleted = client.delete(BASE + "/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().at("/data/id").longValue()).isEqualTo(id);
        assertThat(deleted.json().at("/data/deleted").asBoolean()).isTrue();
        assertThat(deleted.json().get("request_id").asText()).startsWith("req_");

        ApiResponse gone = client.get(BASE + "/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/error/code").asText()).isEqualTo("not_found");
        assertThat(client.get(BASE).json().get("data")).isEmpty();
    }

    @Test
    void createIsIdempotentWithAnIdempotencyKey() {
        var client = herald.client(account).withHeader("Idempotency-Key", "create-once");

        ApiResponse first = client.post(BASE, SEED_000_FETCH_BODY);
        ApiResponse second = client.post(BASE, SEED_000_FETCH_BODY);

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().at("/data/id")).isEqualTo(first.json().at("/data/id"));
        assertThat(herald.client(account).get(BASE).json().get("data")).hasSize(1);
    }

    private JsonNode createFromSeed() {
        ApiResponse created = herald.client(account).post(BASE, SEED_000_CURL_BODY);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.json();
    }
}

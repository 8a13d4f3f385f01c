package dev.herald.acceptance.apimall;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiResponse;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error path of the API Mall surface, answered in its envelope with the seeds' status codes. */
@ClassTemplate
class ApiMallErrorsTest {
    private static final String BASE = "/api/v1/webhooks";
    private static final String VALID = "{\"url\":\"https://hooks.example.com/a\",\"events\":[\"job.completed\"]}";

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore().strictOutbound();

    private TestAccount account;
    private Map<String, String> placeholders;

    /** Which key a case sends. */
    private enum Auth { OWN, NONE, UNKNOWN_KEY, MALFORMED_KEY }

    private record Case(String name, String method, String path, Optional<String> body, Auth auth, int status,
                        String code, String messageFragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case post(String name, String body, int status, String code, String fragment) {
        return new Case(name, "POST", BASE, Optional.of(body), Auth.OWN, status, code, fragment);
    }

    static Stream<Case> cases() {
        return Stream.of(
                post("bad JSON", "{\"url\":", 400, "invalid_request", "not valid JSON"),
                post("body not an object", "[]", 400, "invalid_request", "JSON object"),
                post("empty body", "", 400, "invalid_request", "JSON object"),
                post("url of wrong type", "{\"url\":5,\"events\":[\"job.completed\"]}", 400, "invalid_request",
                        "'url' must be a string"),
                post("events of wrong type", "{\"url\":\"https://hooks.example.com/a\",\"events\":\"job.completed\"}",
                        400, "invalid_request", "'events' must be an array"),
                post("api_key_id of wrong type", VALID.replace("}", ",\"api_key_id\":\"12\"}"), 400,
                        "invalid_request", "'api_key_id' must be an integer"),
                post("fractional api_key_id", VALID.replace("}", ",\"api_key_id\":1.5}"), 400,
                        "invalid_request", "'api_key_id' must be an integer"),
                post("unknown field", VALID.replace("}", ",\"description\":\"x\"}"), 400, "invalid_request",
                        "unknown field 'description'"),
                post("missing url", "{\"events\":[\"job.completed\"]}", 400, "invalid_request",
                        "'url' is required"),
                post("missing events", "{\"url\":\"https://hooks.example.com/a\"}", 400, "invalid_request",
                        "'events' is required"),
                post("http URL", VALID.replace("https://", "http://"), 400, "invalid_request",
                        "Invalid webhook URL: URL must be HTTPS"),
                post("private address", VALID.replace("hooks.example.com", "10.0.0.1"), 400, "invalid_request",
                        "Invalid webhook URL"),
                post("unknown event type", VALID.replace("job.completed", "job.exploded"), 400, "invalid_request",
                        "Unknown event type: job.exploded"),
                post("empty events", VALID.replace("[\"job.completed\"]", "[]"), 400, "invalid_request",
                        "at least one event type"),
                post("short secret_key", VALID.replace("}", ",\"secret_key\":\"short\"}"), 400, "invalid_request",
                        "Invalid secret_key"),
                post("api_key_id of another key", VALID.replace("}", ",\"api_key_id\":{otherKey}}"), 403,
                        "forbidden", "api_key_id"),
                new Case("another account's webhook (GET)", "GET", BASE + "/{foreign}", Optional.empty(), Auth.OWN,
                        404, "not_found", "Webhook not found"),
                new Case("another account's webhook (PATCH)", "PATCH", BASE + "/{foreign}",
                        Optional.of("{\"status\":\"paused\"}"), Auth.OWN, 404, "not_found", "Webhook not found"),
                new Case("another account's webhook (DELETE)", "DELETE", BASE + "/{foreign}", Optional.empty(),
                        Auth.OWN, 404, "not_found", "Webhook not found"),
                new Case("id that is not an integer", "GET", BASE + "/wh_abc", Optional.empty(), Auth.OWN, 404,
                        "not_found", "Webhook not found"),
                new Case("status failing", "PATCH", BASE + "/{own}", Optional.of("{\"status\":\"failing\"}"),
                        Auth.OWN, 400, "invalid_request", "failing is set by Herald"),
                new Case("unknown status", "PATCH", BASE + "/{own}", Optional.of("{\"status\":\"asleep\"}"),
                        Auth.OWN, 400, "invalid_request", "status must be"),
                new Case("null url on update", "PATCH", BASE + "/{own}", Optional.of("{\"url\":null}"),
                        Auth.OWN, 400, "invalid_request", "'url' is required"),
                new Case("http URL on update", "PATCH", BASE + "/{own}", Optional.of("{\"url\":\"http://a.example.com\"}"),
                        Auth.OWN, 400, "invalid_request", "Invalid webhook URL: URL must be HTTPS"),
                new Case("unknown update field", "PATCH", BASE + "/{own}", Optional.of("{\"secret_key\":\"abcdefghij\"}"),
                        Auth.OWN, 400, "invalid_request", "unknown field 'secret_key'"),
                new Case("missing key", "GET", BASE, Optional.empty(), Auth.NONE, 401, "unauthorized",
                        "Unauthorized: API key required"),
                new Case("unknown key", "POST", BASE, Optional.of(VALID), Auth.UNKNOWN_KEY, 401, "unauthorized",
                        "Unauthorized: Invalid API key"),
                new Case("malformed key", "GET", BASE, Optional.empty(), Auth.MALFORMED_KEY, 401, "unauthorized",
                        "Unauthorized: Invalid API key"),
                post("oversized body", "{\"url\":\"" + "a".repeat(1_100_000) + "\"}", 413, "payload_too_large",
                        "larger than"),
                new Case("method not allowed", "PUT", BASE, Optional.of(VALID), Auth.OWN, 405, "method_not_allowed",
                        "not allowed"));
    }

    @BeforeEach
    void accountsAndWebhooks() {
        account = herald.newAccount();
        TestAccount other = herald.newAccount();
        placeholders = new HashMap<>();
        placeholders.put("{own}", createdId(account));
        placeholders.put("{foreign}", createdId(other));
        placeholders.put("{otherKey}", Long.toString(herald.newKey(account).keyId().value()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersErrorsInTheApiMallEnvelope(Case c) {
        ApiResponse response = send(c);

        assertThat(response.status()).as(response.toString()).isEqualTo(c.status());
        JsonNode json = response.json();
        assertThat(json.get("success").isBoolean()).isTrue();
        assertThat(json.get("success").asBoolean()).isFalse();
        assertThat(json.at("/error/code").asText()).isEqualTo(c.code());
        assertThat(json.at("/error/message").asText()).contains(c.messageFragment());
        assertThat(json.get("request_id").asText()).matches("req_[0-9A-Za-z]{26}");
        assertThat(response.header("X-Request-Id")).contains(json.get("request_id").asText());
        assertThat(json.has("data")).isFalse();
    }

    private ApiResponse send(Case c) {
        String path = fill(c.path());
        Optional<byte[]> body = c.body().map(this::fill).map(b -> b.getBytes(StandardCharsets.UTF_8));
        var client = switch (c.auth()) {
            case OWN -> herald.client(account);
            case NONE -> herald.anonymousClient();
            case UNKNOWN_KEY -> herald.anonymousClient().withHeader("Authorization", "Bearer sk_live_" + "ab".repeat(32));
            case MALFORMED_KEY -> herald.anonymousClient().withHeader("Authorization", "Bearer not-a-key");
        };
        return client.send(c.method(), path, body, Map.of());
    }

    private String fill(String text) {
        String filled = text;
        for (var p : placeholders.entrySet()) {
            filled = filled.replace(p.getKey(), p.getValue());
        }
        return filled;
    }

    private static String createdId(TestAccount owner) {
        ApiResponse created = herald.client(owner).post(BASE, VALID);
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        return created.json().at("/data/id").asText();
    }
}

package dev.herald.acceptance.midmarket;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error path of the Midmarket surface in FastAPI's shapes: validation failures as
 * {@code 422 {"detail":[{"loc":["body","endpointUrl"],"msg":…,"type":…}]}} in Midmarket's field names, others
 * as {@code {"detail":"…"}}.
 */
@ClassTemplate
class MidmarketErrorsTest {
    private static final String BASE = "/api/integrations/webhooks/subscriptions";
    private static final String VALID =
            "{\"endpointUrl\":\"https://hooks.example.com/a\",\"eventTypes\":[\"asset.processing.completed\"]}";

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore().strictOutbound();

    private TestAccount account;
    private Map<String, String> placeholders;

    /** Which key a case sends, in seed 004's {@code X-API-Key} header. */
    private enum Auth { OWN, NONE, UNKNOWN_KEY, MALFORMED_KEY }

    /**
     * {@code loc} is the expected location of a 422 validation error (empty for a plain {@code detail}
     * string), {@code type} its type, {@code fragment} a part of the message.
     */
    private record Case(String name, String method, String path, Optional<String> body, Auth auth, int status,
                        List<String> loc, String type, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case invalid(String name, String body, List<String> loc, String type, String fragment) {
        return new Case(name, "POST", BASE, Optional.of(body), Auth.OWN, 422, loc, type, fragment);
    }

    private static Case plain(String name, String method, String path, Optional<String> body, Auth auth, int status,
                              String fragment) {
        return new Case(name, method, path, body, auth, status, List.of(), "", fragment);
    }

    static Stream<Case> cases() {
        var body = List.of("body");
        return Stream.of(
                invalid("bad JSON", "{\"endpointUrl\":", body, "json_invalid", "not valid JSON"),
                invalid("body not an object", "[1]", body, "value_error", "JSON object"),
                invalid("endpointUrl of wrong type", "{\"endpointUrl\":[],\"eventTypes\":[\"asset.processing.completed\"]}",
                        List.of("body", "endpointUrl"), "value_error", "'endpointUrl' must be a string"),
                invalid("eventTypes of wrong type", "{\"endpointUrl\":\"https://hooks.example.com/a\",\"eventTypes\":{}}",
                        List.of("body", "eventTypes"), "value_error", "'eventTypes' must be an array"),
                invalid("description of wrong type", VALID.replace("}", ",\"description\":false}"),
                        List.of("body", "description"), "value_error", "'description' must be a string"),
                invalid("unknown field", VALID.replace("}", ",\"url\":\"https://hooks.example.com/b\"}"),
                        List.of("body", "url"), "extra_forbidden", "unknown field 'url'"),
                invalid("missing endpointUrl", "{\"eventTypes\":[\"asset.processing.completed\"]}",
                        List.of("body", "endpointUrl"), "missing", "'endpointUrl' is required"),
                invalid("missing eventTypes", "{\"endpointUrl\":\"https://hooks.example.com/a\"}",
                        List.of("body", "eventTypes"), "missing", "'eventTypes' is required"),
                invalid("empty endpointUrl", VALID.replace("https://hooks.example.com/a", ""),
                        List.of("body", "endpointUrl"), "value_error", "url is required"),
                invalid("endpointUrl longer than 2083", VALID.replace("/a\"", "/" + "a".repeat(2100) + "\""),
                        List.of("body", "endpointUrl"), "value_error", "at most 2083"),
                invalid("http URL", VALID.replace("https://", "http://"), List.of("body", "endpointUrl"),
                        "value_error", "URL must be HTTPS"),
                invalid("unknown event type", VALID.replace("asset.processing.completed", "asset.lost"),
                        List.of("body", "eventTypes"), "value_error", "Unknown event type: asset.lost"),
                invalid("empty eventTypes", VALID.replace("[\"asset.processing.completed\"]", "[]"),
                        List.of("body", "eventTypes"), "value_error", "at least one event type"),
                new Case("enabled of wrong type", "PATCH", BASE + "/{own}", Optional.of("{\"enabled\":\"yes\"}"),
                        Auth.OWN, 422, List.of("body", "enabled"), "value_error", "'enabled' must be a boolean"),
                new Case("null endpointUrl on update", "PATCH", BASE + "/{own}", Optional.of("{\"endpointUrl\":null}"),
                        Auth.OWN, 422, List.of("body", "endpointUrl"), "missing", "'endpointUrl' is required"),
                new Case("http URL on update", "PATCH", BASE + "/{own}",
                        Optional.of("{\"endpointUrl\":\"http://hooks.example.com/a\"}"), Auth.OWN, 422,
                        List.of("body", "endpointUrl"), "value_error", "URL must be HTTPS"),
                plain("another workspace's subscription (GET)", "GET", BASE + "/{foreign}", Optional.empty(),
                        Auth.OWN, 404, "Subscription not found"),
                plain("another workspace's subscription (PATCH)", "PATCH", BASE + "/{foreign}",
                        Optional.of("{\"enabled\":false}"), Auth.OWN, 404, "Subscription not found"),
                plain("another workspace's subscription (DELETE)", "DELETE", BASE + "/{foreign}", Optional.empty(),
                        Auth.OWN, 404, "Subscription not found"),
                plain("id that is not a UUID", "GET", BASE + "/12", Optional.empty(), Auth.OWN, 404,
                        "Subscription not found"),
                plain("unknown route", "GET", "/api/integrations/webhooks/nothing-here", Optional.empty(), Auth.OWN,
                        404, "Not Found"),
                plain("missing key", "GET", BASE, Optional.empty(), Auth.NONE, 401, "API key required"),
                plain("unknown key", "POST", BASE, Optional.of(VALID), Auth.UNKNOWN_KEY, 401, "Invalid API key"),
                plain("malformed key", "GET", BASE, Optional.empty(), Auth.MALFORMED_KEY, 401, "Invalid API key"),
                plain("oversized body", "POST", BASE, Optional.of("{\"endpointUrl\":\"" + "a".repeat(1_100_000) + "\"}"),
                        Auth.OWN, 413, "larger than"),
                plain("method not allowed", "PUT", BASE, Optional.of(VALID), Auth.OWN, 405, "Method Not Allowed"));
    }

    @BeforeEach
    void accountsAndSubscriptions() {
        account = herald.newAccount();
        placeholders = new HashMap<>();
        placeholders.put("{own}", createdId(account));
        placeholders.put("{foreign}", createdId(herald.newAccount()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersErrorsInFastApiShape(Case c) {
        ApiResponse response = send(c);

        assertThat(response.status()).as(response.toString()).isEqualTo(c.status());
        JsonNode detail = response.json().get("detail");
        assertThat(response.json().size()).as("only detail: %s", response).isEqualTo(1);
        if (c.loc().isEmpty()) {
            assertThat(detail.isTextual()).as(response.toString()).isTrue();
            assertThat(detail.asText()).contains(c.fragment());
        } else {
            assertThat(detail.isArray()).as(response.toString()).isTrue();
            assertThat(detail).hasSize(1);
            JsonNode item = detail.get(0);
            assertThat(item.get("loc")).extracting(JsonNode::asText).containsExactlyElementsOf(c.loc());
            assertThat(item.get("type").asText()).isEqualTo(c.type());
            assertThat(item.get("msg").asText()).contains(c.fragment());
        }
        assertThat(response.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
    }

    private ApiResponse send(Case c) {
        String path = fill(c.path());
        Optional<byte[]> body = c.body().map(b -> b.getBytes(StandardCharsets.UTF_8));
        var client = switch (c.auth()) {
            case OWN -> herald.anonymousClient().withHeader("X-API-Key", account.key());
            case NONE -> herald.anonymousClient();
            case UNKNOWN_KEY -> herald.anonymousClient().withHeader("X-API-Key", "sk_live_" + "cd".repeat(32));
            case MALFORMED_KEY -> herald.anonymousClient().withHeader("X-API-Key", "sk_live_short");
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
        return created.json().get("id").asText();
    }
}

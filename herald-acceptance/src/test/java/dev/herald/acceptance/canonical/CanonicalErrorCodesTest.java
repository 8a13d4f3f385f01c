package dev.herald.acceptance.canonical;

import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error code of the canonical surface, one table row per way to cause it, each answered with the
 * documented status and {@code {"error":{"code","message"}}} body. Runs with the production URL policy
 * (HTTPS only, no private addresses).
 */
@ClassTemplate
class CanonicalErrorCodesTest {
    private static final String VALID = """
            {"url":"https://example.com/hook","events":["delivered"]}""";
    private static final String CONFLICT_KEY = "conflict-key-1";

    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore().strictOutbound()
            .withInitializer(CanonicalErrorCodesTest::arrange);

    private static TestAccount owner;
    private static TestAccount secondKey;
    private static TestAccount revoked;
    private static String ownWebhook;
    private static String otherAccountsWebhook;
    private static String disabledWebhook;

    private enum Auth { OWN, NONE, UNKNOWN_KEY, MALFORMED_KEY, REVOKED_KEY }

    /**
     * One way to cause an error. Paths and bodies may name {@code {wh}} (the caller's webhook),
     * {@code {other_wh}} (another account's), {@code {disabled_wh}} (the caller's disabled one) and {@code {other_key_id}} (another key of the caller's account).
     */
    private record Case(String name, String method, String path, Optional<String> body, Auth auth,
                        Map<String, String> headers, int status, String code, String messageContains) {
        Case(String name, String method, String path, String body, int status, String code, String messageContains) {
            this(name, method, path, Optional.ofNullable(body), Auth.OWN, Map.of(), status, code, messageContains);
        }

        Case as(Auth newAuth) {
            return new Case(name, method, path, body, newAuth, headers, status, code, messageContains);
        }

        Case with(String header, String value) {
            return new Case(name, method, path, body, auth, Map.of(header, value), status, code, messageContains);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Stream<Case> cases() {
        String longUrl = "https://example.com/" + "a".repeat(2100);
        String huge = "{\"url\":\"https://example.com/\",\"events\":[\"delivered\"],\"description\":\""
                + "x".repeat((1 << 20) + 10) + "\"}";
        return Stream.of(
                new Case("http when only https is allowed", "POST", "/v1/webhooks",
                        create("http://example.com/hook"), 400, "invalid_url", "HTTPS"),
                new Case("malformed url", "POST", "/v1/webhooks", create("not a url"), 400, "invalid_url", "url"),
                new Case("url without host", "POST", "/v1/webhooks", create("https:///path"), 400, "invalid_url", "host"),
                new Case("url longer than 2083 characters", "POST", "/v1/webhooks", create(longUrl), 400,
                        "invalid_url", "2083"),
                new Case("private address literal", "POST", "/v1/webhooks", create("https://10.0.0.1/hook"), 400,
                        "invalid_url", "not allowed"),
                new Case("loopback without allowlist", "POST", "/v1/webhooks", create("https://127.0.0.1/hook"),
                        400, "invalid_url", "not allowed"),
                new Case("metadata address", "POST", "/v1/webhooks", create("https://169.254.169.254/latest"),
                        400, "invalid_url", "not allowed"),
                new Case("invalid url on update", "PATCH", "/v1/webhooks/{wh}", "{\"url\":\"http://example.com\"}",
                        400, "invalid_url", "HTTPS"),
                new Case("unknown event type", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/\",\"events\":[\"delivered\",\"nope.never\"]}", 400,
                        "invalid_events", "nope.never"),
                new Case("empty event list", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/\",\"events\":[]}", 400, "invalid_events", "at least one"),
                new Case("unknown event type on update", "PATCH", "/v1/webhooks/{wh}", "{\"events\":[\"nope\"]}",
                        400, "invalid_events", "nope"),
                new Case("missing webhook", "GET", "/v1/webhooks/wh_doesNotExist0000000000", null, 404,
                        "webhook_not_found", "not found"),
                new Case("malformed webhook id", "GET", "/v1/webhooks/12345", null, 404, "webhook_not_found",
                        "not found"),
                new Case("other account's webhook", "GET", "/v1/webhooks/{other_wh}", null, 404,
                        "webhook_not_found", "not found"),
                new Case("patching other account's webhook", "PATCH", "/v1/webhooks/{other_wh}",
                        "{\"description\":\"mine now\"}", 404, "webhook_not_found", "not found"),
                new Case("deleting other account's webhook", "DELETE", "/v1/webhooks/{other_wh}", null, 404,
                        "webhook_not_found", "not found"),
                new Case("rotating other account's secret", "POST", "/v1/webhooks/{other_wh}/secret/rotate", null,
                        404, "webhook_not_found", "not found"),
                new Case("bad JSON", "POST", "/v1/webhooks", "{\"url\": ", 400, "invalid_request", "JSON"),
                new Case("body not an object", "POST", "/v1/webhooks", "[1,2]", 400, "invalid_request", "object"),
                new Case("missing body", "POST", "/v1/webhooks", null, 400, "invalid_request", "object"),
                new Case("url of wrong type", "POST", "/v1/webhooks", "{\"url\":42,\"events\":[\"delivered\"]}", 400,
                        "invalid_request", "'url'"),
                new Case("events of wrong type", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/\",\"events\":\"delivered\"}", 400, "invalid_request",
                        "'events'"),
                new Case("missing url", "POST", "/v1/webhooks", "{\"events\":[\"delivered\"]}", 400,
                        "invalid_request", "'url'"),
                new Case("unknown field", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/\",\"events\":[\"delivered\"],\"colour\":\"red\"}", 400,
                        "invalid_request", "colour"),
                new Case("unknown field on update", "PATCH", "/v1/webhooks/{wh}", "{\"secret\":\"abcdefghij\"}", 400,
                        "invalid_request", "secret"),
                new Case("status failing is set by Herald only", "PATCH", "/v1/webhooks/{wh}",
                        "{\"status\":\"failing\"}", 400, "invalid_request", "status"),
                new Case("unknown status", "PATCH", "/v1/webhooks/{wh}", "{\"status\":\"sleeping\"}", 400,
                        "invalid_request", "status"),
                new Case("rate limit out of range", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/\",\"events\":[\"delivered\"],\"rate_limit\":0}", 400,
                        "invalid_request", "rate_limit"),
                new Case("reserved custom header", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/\",\"events\":[\"delivered\"],\"headers\":{\"Host\":\"x\"}}",
                        400, "invalid_request", "Host"),
                new Case("secret too short", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/\",\"events\":[\"delivered\"],\"secret\":\"short\"}", 400,
                        "invalid_request", "secret"),
                new Case("limit zero", "GET", "/v1/webhooks?limit=0", null, 400, "invalid_request", "limit"),
                new Case("limit over 250", "GET", "/v1/webhooks?limit=251", null, 400, "invalid_request", "limit"),
                new Case("limit not a number", "GET", "/v1/webhooks?limit=ten", null, 400, "invalid_request", "limit"),
                new Case("garbage cursor", "GET", "/v1/webhooks?cursor=%21%21garbage", null, 400, "invalid_request",
                        "cursor"),
                new Case("missing key", "GET", "/v1/webhooks", null, 401, "unauthorized", "API key")
                        .as(Auth.NONE),
                new Case("unknown key", "GET", "/v1/webhooks", null, 401, "unauthorized", "Invalid API key")
                        .as(Auth.UNKNOWN_KEY),
                new Case("malformed key", "GET", "/v1/webhooks", null, 401, "unauthorized", "Invalid API key")
                        .as(Auth.MALFORMED_KEY),
                new Case("revoked key", "GET", "/v1/webhooks", null, 401, "unauthorized", "Invalid API key")
                        .as(Auth.REVOKED_KEY),
                new Case("api_key_id of another key", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/\",\"events\":[\"delivered\"],\"api_key_id\":{other_key_id}}",
                        403, "forbidden", "api_key_id"),
                new Case("idempotency key reused with another body", "POST", "/v1/webhooks",
                        "{\"url\":\"https://example.com/other\",\"events\":[\"delivered\"]}", 409,
                        "idempotency_conflict", "Idempotency-Key").with("Idempotency-Key", CONFLICT_KEY),
                new Case("idempotency key reused on another route", "POST", "/v1/event-types",
                        "{\"name\":\"order.created\"}", 409, "idempotency_conflict", "Idempotency-Key")
                        .with("Idempotency-Key", CONFLICT_KEY),
                new Case("body over 1 MiB", "POST", "/v1/webhooks", huge, 413, "payload_too_large", "larger"),
                new Case("deleting a configured event type", "DELETE", "/v1/event-types/delivered", null, 409,
                        "conflict", "delivered"),
                new Case("creating a configured event type", "POST", "/v1/event-types",
                        "{\"name\":\"delivered\",\"description\":\"mine\"}", 409, "conflict", "delivered"),
                new Case("deleting an unknown event type", "DELETE", "/v1/event-types/never.defined", null, 404,
                        "event_type_not_found", "not found"),
                new Case("invalid event type name", "POST", "/v1/event-types", "{\"name\":\"Not Valid\"}", 400,
                        "invalid_request", "name"),
                new Case("test event to a disabled webhook", "POST", "/v1/webhooks/{disabled_wh}/test", null, 400,
                        "webhook_disabled", "disabled"),
                new Case("recovering a disabled webhook", "POST", "/v1/webhooks/{disabled_wh}/recover",
                        "{\"since\":\"2024-01-15T10:00:00Z\"}", 400, "webhook_disabled", "disabled"),
                new Case("recover without a valid time", "POST", "/v1/webhooks/{wh}/recover",
                        "{\"since\":\"yesterday\"}", 400, "invalid_request", "since"),
                new Case("deliveries of another account's webhook", "GET", "/v1/webhooks/{other_wh}/deliveries", null,
                        404, "webhook_not_found", "not found"),
                new Case("unknown delivery status filter", "GET", "/v1/webhooks/{wh}/deliveries?status=lost", null,
                        400, "invalid_request", "status"),
                new Case("missing delivery", "GET", "/v1/deliveries/dlv_missing000000", null, 404,
                        "delivery_not_found", "not found"),
                new Case("retrying a missing delivery", "POST", "/v1/deliveries/nonsense/retry", null, 404,
                        "delivery_not_found", "not found"),
                new Case("missing event", "GET", "/v1/events/evt_missing000000", null, 404, "event_not_found",
                        "not found"),
                new Case("publishing an unknown event type", "POST", "/v1/events",
                        "{\"type\":\"nope.never\",\"data\":{}}", 400, "invalid_events", "nope.never"),
                new Case("publishing data that is not an object", "POST", "/v1/events",
                        "{\"type\":\"delivered\",\"data\":[1]}", 400, "invalid_request", "data"),
                new Case("publishing without data", "POST", "/v1/events", "{\"type\":\"delivered\"}", 400,
                        "invalid_request", "data"),
                new Case("publishing a malformed event id", "POST", "/v1/events",
                        "{\"type\":\"delivered\",\"data\":{},\"id\":\"event-1\"}", 400, "invalid_request", "id"),
                new Case("event type schema not an object", "POST", "/v1/event-types",
                        "{\"name\":\"order.created\",\"schema\":\"string\"}", 400, "invalid_request", "schema"));
    }

    /** Accounts, keys and webhooks every case may name, made once per store. */
    private static void arrange(HeraldExtension herald) {
        owner = herald.newAccount();
        secondKey = herald.newKey(owner);
        revoked = herald.newKey(owner);
        herald.revokeKey(revoked);
        ownWebhook = herald.client(owner).post("/v1/webhooks", VALID).json().get("id").asText();
        otherAccountsWebhook = herald.client(herald.newAccount()).post("/v1/webhooks", VALID)
                .json().get("id").asText();
        disabledWebhook = herald.client(owner).post("/v1/webhooks", VALID).json().get("id").asText();
        herald.client(owner).patch("/v1/webhooks/" + disabledWebhook, "{\"status\":\"disabled\"}");
        var first = herald.client(owner).withHeader("Idempotency-Key", CONFLICT_KEY).post("/v1/webhooks", VALID);
        assertThat(first.status()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersWithTheDocumentedErrorCode(Case c) {
        String path = fill(c.path());
        Optional<byte[]> body = c.body().map(CanonicalErrorCodesTest::fill)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));

        var response = client(c.auth()).send(c.method(), path, body, c.headers());

        assertThat(response.status()).as("status of %s", response).isEqualTo(c.status());
        assertThat(response.errorCode()).as("code of %s", response).isEqualTo(c.code());
        assertThat(response.json().path("error").path("message").asText()).contains(c.messageContains());
        assertThat(response.header("X-Request-Id")).isPresent();
    }

    private static ApiClient client(Auth auth) {
        return switch (auth) {
            case OWN -> herald.client(owner);
            case NONE -> herald.anonymousClient();
            case UNKNOWN_KEY -> herald.anonymousClient().withHeader("Authorization", "Bearer sk_live_" + "0".repeat(64));
            case MALFORMED_KEY -> herald.anonymousClient().withHeader("X-API-Key", "not-a-key");
            case REVOKED_KEY -> herald.client(revoked);
        };
    }

    private static String fill(String template) {
        return template.replace("{wh}", ownWebhook)
                .replace("{disabled_wh}", disabledWebhook)
                .replace("{other_wh}", otherAccountsWebhook)
                .replace("{other_key_id}", Long.toString(secondKey.keyId().value()));
    }

    private static String create(String url) {
        return "{\"url\":\"" + url + "\",\"events\":[\"delivered\"]}";
    }
}

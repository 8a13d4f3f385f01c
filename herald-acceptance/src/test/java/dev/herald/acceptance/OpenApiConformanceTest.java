package dev.herald.acceptance;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check every API test exchange goes through catches what it is there to catch. */
class OpenApiConformanceTest {
    private static final Map<String, String> AUTHORIZED = Map.of(
            "Authorization", "Bearer sk_live_" + "0".repeat(64), "Content-Type", "application/json");
    private static final String EVENT = """
            {"id":"evt_1","type":"delivered","timestamp":"2026-03-12T09:55:00Z","data":{},"deliveries":[]}""";
    private static final String WEBHOOK = """
            {"url":"https://example.com/h","events":["delivered"]}""";
    private static final String CREATED = """
            {"id":"wh_1","url":"https://example.com/h","type":"webhook","config":{},"events":["delivered"],
             "description":null,"status":"active","rate_limit":null,"headers":{},"created_at":"2026-03-12T09:55:00Z",
             "updated_at":"2026-03-12T09:55:00Z","retry_schedule":null,"circuit":"closed",
             "ordering":"unordered","secret":"whsec_x"}""";
    private static final String INVALID_REQUEST = """
            {"error":{"code":"invalid_request","message":"unknown field 'bogus'","field":"bogus"}}""";

    @Test
    void aDocumentedExchangePasses() {
        assertThatCode(() -> check("GET", "/v1/events/evt_1", null, response(200, EVENT))).doesNotThrowAnyException();
        assertThatCode(() -> check("POST", "/v1/webhooks", WEBHOOK, response(201, CREATED))).doesNotThrowAnyException();
    }

    @Test
    void aResponseWithAnUndocumentedFieldIsAMismatch() {
        String extra = EVENT.replace("\"deliveries\":[]", "\"deliveries\":[],\"surprise\":1");

        assertThatThrownBy(() -> check("GET", "/v1/events/evt_1", null, response(200, extra)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("surprise");
    }

    @Test
    void anUndocumentedStatusIsAMismatch() {
        assertThatThrownBy(() -> check("GET", "/v1/events/evt_1", null, response(418, "{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("418");
    }

    @Test
    void aRequestTheDocumentRefusesMustBeRefusedWithADocumentedError() {
        String bogus = WEBHOOK.replace("}", ",\"bogus\":1}");

        assertThatThrownBy(() -> check("POST", "/v1/webhooks", bogus, response(201, CREATED)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("refuses this request");
        assertThatCode(() -> check("POST", "/v1/webhooks", bogus, response(400, INVALID_REQUEST)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check("POST", "/v1/webhooks", bogus, response(400, "{\"oops\":true}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not match");
    }

    @Test
    void aPathTheDocumentDoesNotKnowMustBeAnswered404() {
        assertThatCode(() -> check("GET", "/v1/nope", null, response(404, "{}"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> check("GET", "/v1/nope", null, response(200, "{}")))
                .isInstanceOf(AssertionError.class).hasMessageContaining("no such operation");
    }

    private static void check(String method, String path, String body, ApiResponse response) {
        OpenApiConformance.check(method, URI.create("http://127.0.0.1:8080" + path), AUTHORIZED,
                Optional.ofNullable(body).map(b -> b.getBytes(StandardCharsets.UTF_8)), response);
    }

    private static ApiResponse response(int status, String body) {
        var headers = HttpHeaders.of(Map.of("Content-Type", List.of("application/json")), (name, value) -> true);
        return new ApiResponse(status, headers, body);
    }
}

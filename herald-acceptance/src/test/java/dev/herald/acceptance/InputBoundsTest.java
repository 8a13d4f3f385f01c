package dev.herald.acceptance;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values the edge must refuse before they reach the store or a loop: timestamps beyond RFC 3339's years, dialect
 * list parameters beyond the canonical list's bounds, and an update without a body, on every surface alike.
 */
class InputBoundsTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.sqlite();

    private ApiClient api;

    @BeforeEach
    void newAccount() {
        api = herald.client(herald.newAccount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z"})
    void recoverRefusesATimeBeyondRfc3339YearsNamingTheField(String since) {
        String webhook = api.post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"delivered\"]}")
                .json().get("id").asText();

        var response = api.post("/v1/webhooks/" + webhook + "/recover", "{\"since\":\"" + since + "\"}");

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("invalid_request");
        assertThat(response.json().path("error").path("field").asText()).isEqualTo("since");
    }

    @Test
    void recoverAcceptsTheEdgesOfRfc3339Years() {
        String webhook = api.post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"delivered\"]}")
                .json().get("id").asText();

        assertThat(api.post("/v1/webhooks/" + webhook + "/recover", "{\"since\":\"0000-01-01T00:00:00Z\"}").status())
                .isEqualTo(202);
        assertThat(api.post("/v1/webhooks/" + webhook + "/recover", "{\"since\":\"9999-12-31T23:59:59+01:00\"}")
                .status()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"per_page=1000000", "per_page=0", "per_page=-5", "per_page=abc", "page=0", "page=-1",
            "page=99999999999", "per_page=251"})
    void apiMallListRefusesParametersBeyondTheCanonicalBounds(String query) {
        var response = api.get("/api/v1/webhooks?" + query);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("success").asBoolean(true)).isFalse();
        assertThat(response.json().path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(response.json().path("error").path("message").asText()).contains(query.substring(0, query.indexOf('=')));
    }

    @Test
    void apiMallListAnswersThePageAskedFor() {
        var urls = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            urls.add("http://127.0.0.1:9/mall" + i);
            api.post("/api/v1/webhooks", "{\"url\":\"" + urls.get(i) + "\",\"events\":[\"job.completed\"]}");
        }
        List<String> all = urlsOf(api.get("/api/v1/webhooks"), "url");

        assertThat(all).hasSize(3);
        assertThat(urlsOf(api.get("/api/v1/webhooks?per_page=2"), "url")).isEqualTo(all.subList(0, 2));
        assertThat(urlsOf(api.get("/api/v1/webhooks?per_page=2&page=2"), "url")).isEqualTo(all.subList(2, 3));
        assertThat(urlsOf(api.get("/api/v1/webhooks?per_page=2&page=3"), "url")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=-5", "limit=0", "limit=1000000", "limit=x", "offset=-1", "offset=1e3"})
    void midmarketListRefusesParametersBeyondTheCanonicalBoundsWith422(String query) {
        var response = api.get("/api/integrations/webhooks/subscriptions?" + query);

        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.json().path("detail").path(0).path("loc").toString())
                .isEqualTo("[\"query\",\"" + query.substring(0, query.indexOf('=')) + "\"]");
    }

    @Test
    void midmarketListAnswersTheWindowAskedFor() {
        for (int i = 0; i < 3; i++) {
            api.post("/api/integrations/webhooks/subscriptions",
                    "{\"endpointUrl\":\"http://127.0.0.1:9/mid" + i + "\",\"eventTypes\":[\"asset.processing.completed\"]}");
        }
        List<String> all = urlsOf(api.get("/api/integrations/webhooks/subscriptions"), "endpointUrl");

        assertThat(all).hasSize(3);
        assertThat(urlsOf(api.get("/api/integrations/webhooks/subscriptions?limit=1&offset=1"), "endpointUrl"))
                .isEqualTo(all.subList(1, 2));
        assertThat(urlsOf(api.get("/api/integrations/webhooks/subscriptions?offset=5"), "endpointUrl")).isEmpty();
    }

    @Test
    void anUpdateWithoutABodyIsRefusedOnEverySurfaceAndAnEmptyObjectChangesNothing() {
        String canonical = api.post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/c\",\"events\":[\"delivered\"]}")
                .json().get("id").asText();
        long mall = api.post("/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/m\",\"events\":[\"job.completed\"]}")
                .json().path("data").path("id").asLong();
        String midmarket = api.post("/api/integrations/webhooks/subscriptions",
                "{\"endpointUrl\":\"http://127.0.0.1:9/d\",\"eventTypes\":[\"asset.processing.completed\"]}")
                .json().get("id").asText();

        var canonicalEmpty = api.patch("/v1/webhooks/" + canonical, "");
        var mallEmpty = api.patch("/api/v1/webhooks/" + mall, "");
        var midmarketEmpty = api.patch("/api/integrations/webhooks/subscriptions/" + midmarket, "");

        assertThat(canonicalEmpty.status()).as(canonicalEmpty.toString()).isEqualTo(400);
        assertThat(canonicalEmpty.errorCode()).isEqualTo("invalid_request");
        assertThat(mallEmpty.status()).as(mallEmpty.toString()).isEqualTo(400);
        assertThat(mallEmpty.json().path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(midmarketEmpty.status()).as(midmarketEmpty.toString()).isEqualTo(422);
        assertThat(midmarketEmpty.json().path("detail").isArray()).isTrue();

        assertThat(api.patch("/v1/webhooks/" + canonical, "{}").status()).isEqualTo(200);
        assertThat(api.patch("/api/v1/webhooks/" + mall, "{}").json().path("data").path("url").asText())
                .isEqualTo("http://127.0.0.1:9/m");
        assertThat(api.patch("/api/integrations/webhooks/subscriptions/" + midmarket, "{}").json()
                .path("endpointUrl").asText()).isEqualTo("http://127.0.0.1:9/d");
    }

    private static List<String> urlsOf(ApiResponse list, String field) {
        var json = list.json();
        var items = json.has("data") ? json.get("data") : json;
        assertThat(items.isArray()).as(list.toString()).isTrue();
        var urls = new ArrayList<String>();
        items.forEach(item -> urls.add(item.path(field).asText()));
        return urls;
    }
}

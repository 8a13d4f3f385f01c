package dev.herald.reliability;

import static org.assertj.core.api.Assertions.assertThat;

/** The canonical API calls the cases share: create a webhook, publish an event. */
final class Api {
    private Api() {
    }

    /** A webhook created through {@code POST /v1/webhooks}; its secret joins the secrets scan. */
    record Webhook(String id, String secret) {
    }

    static Webhook createWebhook(Http http, String url, String eventType) {
        var created = http.post("/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"" + eventType + "\"]}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new Webhook(created.json().path("id").asText(), Findings.secret(created.json().path("secret").asText()));
    }

    static Http.Response publish(Http http, String eventType, int n) {
        return http.post("/v1/events", "{\"type\":\"" + eventType + "\",\"data\":{\"n\":" + n + "}}");
    }
}

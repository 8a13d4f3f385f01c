package dev.herald.acceptance.crosssurface;

import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A platform publish with {@code api_key_id} reaches exactly the webhooks that key's own publish would: those
 * without a scope and those scoped to it, never one scoped to another key of the account; without
 * {@code api_key_id} only the unscoped ones.
 */
@ClassTemplate
class PlatformPublishScopeTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aPlatformPublishAsOneKeyReachesTheUnscopedWebhooksAndThoseOfThatKeyOnly() {
        TestAccount first = herald.newAccount();
        TestAccount second = herald.newKey(first);
        scopedWebhook(first, "/first", true);
        scopedWebhook(second, "/second", true);
        scopedWebhook(first, "/everyone", false);
        var platform = platformClient();

        var asFirst = platform.post("/v1/events", """
                {"account": %d, "api_key_id": %d, "type": "delivered", "data": {"n": 1}}"""
                .formatted(first.account().value(), first.keyId().value()));
        assertThat(asFirst.status()).as(asFirst.toString()).isEqualTo(202);
        assertThat(asFirst.json().path("deliveries").asInt()).isEqualTo(2);
        var asNone = platform.post("/v1/events", """
                {"account": %d, "type": "delivered", "data": {"n": 2}}""".formatted(first.account().value()));
        assertThat(asNone.status()).as(asNone.toString()).isEqualTo(202);
        assertThat(asNone.json().path("deliveries").asInt()).isEqualTo(1);

        Await.until("the first key's event and the unscoped one at /everyone",
                () -> receiver.requests("/everyone").size() == 2);
        Await.until("the first key's event at its own webhook", () -> receiver.requests("/first").size() == 1);
        assertThat(receiver.requests("/first").getFirst().bodyText()).contains("\"n\":1");
        assertThat(receiver.requests("/second")).as("scoped to another key").isEmpty();
    }

    private void scopedWebhook(TestAccount key, String path, boolean scoped) {
        String scope = scoped ? ", \"api_key_id\": " + key.keyId().value() : "";
        var created = herald.client(key).post("/v1/webhooks", """
                {"url": "%s", "events": ["delivered"]%s}""".formatted(receiver.url(path), scope));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private static ApiClient platformClient() {
        var key = herald.admin().post("/admin/v1/platform-keys", "{\"name\":\"backend\"}");
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        return herald.anonymousClient().withHeader("Authorization", "Bearer " + key.json().path("key").asText());
    }
}

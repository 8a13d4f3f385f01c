package dev.herald.client;

import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.client.api.CanonicalApi;
import dev.herald.client.model.Attempt;
import dev.herald.client.model.CreatedWebhook;
import dev.herald.client.model.Delivery;
import dev.herald.client.model.DeliveryDetail;
import dev.herald.client.model.PublishEvent;
import dev.herald.client.model.WebhookCreate;
import dev.herald.client.model.WebhookUpdate;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client generated from openapi.json drives a real Herald: typed requests are accepted and typed responses
 * read back, which is what a platform team's generated client would do.
 */
class GeneratedClientTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.sqlite();

    private static WebhookReceiver receiver;
    private static CanonicalApi api;

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start();
        TestAccount account = herald.newAccount();
        var client = new ApiClient();
        client.updateBaseUri(herald.baseUri().toString());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + account.key()));
        api = new CanonicalApi(client);
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void createsAWebhookWithEveryFieldPublishesAndReadsTheDeliveryBack() throws Exception {
        CreatedWebhook created = api.createWebhook(new WebhookCreate()
                .url(URI.create(receiver.url("/typed")))
                .events(List.of("delivered"))
                .description("typed client")
                .rateLimit(10)
                .headers(Map.of("X-Team", "payments")), "create-typed");

        assertThat(created.getSecret()).startsWith("whsec_");
        assertThat(created.getRateLimit()).isEqualTo(10);
        assertThat(created.getHeaders()).containsEntry("X-Team", "payments");

        var published = api.publishEvent(new PublishEvent().type("delivered").data(Map.of("order", 42)), null);

        assertThat(published.getDeliveries()).isEqualTo(1);
        Delivery delivered = Await.value("the delivery delivered", () -> {
            try {
                return api.listWebhookDeliveries(created.getId(), 10, null, "delivered").getData().stream().findFirst();
            } catch (ApiException e) {
                throw new AssertionError(e);
            }
        });
        DeliveryDetail detail = api.getDelivery(delivered.getId());
        assertThat(detail.getEventId()).isEqualTo(published.getId());
        assertThat(detail.getAttempts()).extracting(Attempt::getSuccess).containsExactly(true);
        assertThat(receiver.requests("/typed").getFirst().header("X-Team")).isEqualTo("payments");
        assertThat(api.listEvents("delivered", null, null, 10, null).getData())
                .anySatisfy(e -> assertThat(e.getId()).isEqualTo(published.getId()));
    }

    @Test
    void updatesAWebhookPartiallyAndReadsItsCounters() throws Exception {
        CreatedWebhook created = api.createWebhook(new WebhookCreate()
                .url(URI.create(receiver.url("/patched"))).events(List.of("bounced")), null);

        var updated = api.updateWebhook(created.getId(), new WebhookUpdate().rateLimit(5)
                .status(WebhookUpdate.StatusEnum.PAUSED));

        assertThat(updated.getRateLimit()).isEqualTo(5);
        assertThat(updated.getStatus().getValue()).isEqualTo("paused");
        assertThat(Optional.ofNullable(api.getWebhook(created.getId()).getStats()))
                .hasValueSatisfying(stats -> assertThat(stats.getTotalSent()).isZero());
    }

    @Test
    void aDocumentedErrorArrivesAsAnApiExceptionWithItsStatus() {
        assertThatThrownBy(() -> api.getWebhook("wh_missing"))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(404))
                .satisfies(e -> assertThat(((ApiException) e).getResponseBody()).contains("webhook_not_found"));
    }
}

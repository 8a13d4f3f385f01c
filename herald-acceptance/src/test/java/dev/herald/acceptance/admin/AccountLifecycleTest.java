package dev.herald.acceptance.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.ApiResponse;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.event.EventId;
import dev.herald.store.PageRequest;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disabling, enabling and deleting an account through the admin API against a real server, engine and receiver on
 * each store: keys stop at once, endpoints stop receiving, and a deletion leaves nothing of the account behind.
 */
@ClassTemplate
class AccountLifecycleTest {
    /** A failed first attempt waits an hour for its retry, so a test can hold and release it. */
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore()
            .with("delivery.retry-schedule", "0s,1h");

    private WebhookReceiver receiver;
    private TestAccount tenant;
    private ApiClient api;

    @BeforeEach
    void setUp() {
        receiver = WebhookReceiver.start();
        tenant = herald.newAccount();
        api = herald.client(tenant);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void everyKeyOfADisabledAccountIsRefusedAtOnceAndWorksAgainWhenEnabled() {
        ApiClient secondKey = herald.client(herald.newKey(tenant));
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(200);
        assertThat(secondKey.get("/v1/webhooks").status()).isEqualTo(200);

        var disabled = setStatus(tenant, "disabled");

        assertThat(disabled.json().path("status").asText()).isEqualTo("disabled");
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(401);
        assertThat(secondKey.get("/v1/webhooks").status()).isEqualTo(401);
        assertThat(herald.admin().get(accountPath(tenant)).json().path("status").asText()).isEqualTo("disabled");

        setStatus(tenant, "active");

        assertThat(api.get("/v1/webhooks").status()).isEqualTo(200);
        assertThat(secondKey.get("/v1/webhooks").status()).isEqualTo(200);
    }

    @Test
    void aDisabledAccountsDeliveriesAreHeldAndGoOutOnceItIsEnabled() {
        receiver.on("/held", WebhookReceiver.status(500));
        createWebhook("/held");
        String deliveryId = publishAndAwaitFirstAttempt();
        receiver.on("/held", WebhookReceiver.status(200));

        setStatus(tenant, "disabled");

        var held = herald.store().deliveries().find(tenant.account(), new DeliveryId(deliveryId)).orElseThrow();
        assertThat(held.nextAttemptAt()).as("held: no next attempt").isEmpty();
        // The account's own keys are refused now; the platform still publishes for it, as its key.
        var platform = platformClient();
        var published = platform.post("/v1/events", "{\"account\":" + tenant.account().value() + ",\"api_key_id\":"
                + tenant.keyId().value() + ",\"type\":\"delivered\",\"data\":{}}");
        assertThat(published.status()).as("%s", published).isEqualTo(202);
        assertThat(published.json().path("deliveries").asInt())
                .as("a disabled account's endpoints take no new deliveries").isZero();
        assertThat(receiver.requests("/held")).hasSize(1);

        setStatus(tenant, "active");

        Await.until("the held delivery sent once enabled", () -> receiver.requests("/held").size() == 2);
        Await.until("the held delivery recorded", () -> api.get("/v1/deliveries/" + deliveryId).json()
                .path("status").asText().equals("delivered"));
    }

    @Test
    void deletingAnAccountRefusesItsKeysAndPurgesEverythingItOwned() {
        var other = herald.newAccount();
        var otherApi = herald.client(other);
        String webhook = createWebhook("/gone");
        assertThat(otherApi.post("/v1/webhooks", webhookBody("/kept")).status()).isEqualTo(201);
        var published = api.post("/v1/events", "{\"type\":\"delivered\",\"data\":{}}");
        String eventId = published.json().get("id").asText();
        assertThat(otherApi.post("/v1/events", "{\"type\":\"delivered\",\"data\":{}}").status()).isEqualTo(202);
        Await.until("both delivered", () -> receiver.requests("/gone").size() == 1
                && receiver.requests("/kept").size() == 1);
        Await.until("the attempt recorded", () -> api.get("/v1/webhooks/" + webhook + "/deliveries?status=delivered")
                .json().path("data").size() == 1);

        var deletion = herald.admin().delete(accountPath(tenant));

        assertThat(deletion.status()).as("complete: %s", deletion).isEqualTo(204);
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(401);
        var accounts = herald.store().accounts();
        assertThat(accounts.findInAnyStatus(tenant.account())).isEmpty();
        JsonNode listed = herald.admin().get("/admin/v1/accounts").json().path("data");
        assertThat(listed).noneMatch(a -> a.path("id").asLong() == tenant.account().value());
        assertThat(herald.store().events().find(tenant.account(), new EventId(eventId))).isEmpty();
        assertThat(herald.store().endpoints().list(tenant.account(), PageRequest.first(10)).items()).isEmpty();
        assertThat(herald.store().apiKeys().list(tenant.account())).isEmpty();
        assertThat(otherApi.get("/v1/webhooks").json().get("data")).hasSize(1);
        assertThat(otherApi.get("/v1/events").json().get("data")).hasSize(1);
    }

    private static String accountPath(TestAccount account) {
        return "/admin/v1/accounts/" + account.account().value();
    }

    private static ApiResponse setStatus(TestAccount account, String status) {
        var changed = herald.admin().patch(accountPath(account), "{\"status\":\"" + status + "\"}");
        assertThat(changed.status()).as("%s", changed).isEqualTo(200);
        return changed;
    }

    /** A client holding a new platform key, as the product's backend would. */
    private static ApiClient platformClient() {
        var key = herald.admin().post("/admin/v1/platform-keys", "{\"name\":\"backend\"}");
        assertThat(key.status()).as("%s", key).isEqualTo(201);
        return herald.anonymousClient().withHeader("Authorization", "Bearer " + key.json().path("key").asText());
    }

    private String createWebhook(String path) {
        var created = api.post("/v1/webhooks", webhookBody(path));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asText();
    }

    private String webhookBody(String path) {
        return "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"delivered\"]}";
    }

    private String publishAndAwaitFirstAttempt() {
        var published = api.post("/v1/events", "{\"type\":\"delivered\",\"data\":{}}");
        assertThat(published.status()).isEqualTo(202);
        String eventId = published.json().get("id").asText();
        return Await.value("the first attempt recorded", () -> {
            JsonNode deliveries = api.get("/v1/events/" + eventId).json().path("deliveries");
            return deliveries.size() == 1 && deliveries.get(0).path("attempt_count").asInt() == 1
                    ? Optional.of(deliveries.get(0).get("id").asText()) : Optional.empty();
        });
    }
}

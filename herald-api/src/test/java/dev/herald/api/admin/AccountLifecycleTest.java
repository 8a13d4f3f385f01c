package dev.herald.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.http.Json;
import dev.herald.api.testing.ApiClient;
import dev.herald.api.testing.ApiHarness;
import dev.herald.api.testing.Eventually;
import dev.herald.api.testing.TestAccount;
import dev.herald.api.testing.WebhookReceiver;
import dev.herald.core.account.AccountStatus;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.event.EventId;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.store.PageRequest;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disabling, enabling and deleting an account against a real server, engine and receiver on each store: keys stop
 * at once, endpoints stop receiving, and a deletion leaves nothing of the account behind.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class AccountLifecycleTest {
    /** A failed first attempt waits an hour for its retry, so a test can hold and release it. */
    private static final RetrySchedule ONE_RETRY_AN_HOUR_LATER =
            new RetrySchedule(List.of(Duration.ZERO, Duration.ofHours(1)), 0);

    private static ApiHarness harness;

    private final StoreKind store;
    private WebhookReceiver receiver;
    private TestAccount tenant;
    private ApiClient api;

    AccountLifecycleTest(StoreKind store) {
        this.store = store;
    }

    @BeforeParameterizedClassInvocation
    static void startHarness(StoreKind store) {
        harness = ApiHarness.start(store, ApiHarness.Options.local().withRetrySchedule(ONE_RETRY_AN_HOUR_LATER));
    }

    @AfterParameterizedClassInvocation
    static void stopHarness() {
        harness.close();
    }

    @BeforeEach
    void setUp() {
        assertThat(harness.kind()).isEqualTo(store);
        receiver = WebhookReceiver.start();
        tenant = harness.newAccount();
        api = harness.client(tenant);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void everyKeyOfADisabledAccountIsRefusedAtOnceAndWorksAgainWhenEnabled() {
        ApiClient secondKey = harness.client(harness.newKey(tenant));
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(200);
        assertThat(secondKey.get("/v1/webhooks").status()).isEqualTo(200);

        var disabled = harness.admin().disable(tenant.account());

        assertThat(disabled.status()).isEqualTo(AccountStatus.DISABLED);
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(401);
        assertThat(secondKey.get("/v1/webhooks").status()).isEqualTo(401);
        assertThat(harness.admin().account(tenant.account()).status()).isEqualTo(AccountStatus.DISABLED);

        harness.admin().enable(tenant.account());

        assertThat(api.get("/v1/webhooks").status()).isEqualTo(200);
        assertThat(secondKey.get("/v1/webhooks").status()).isEqualTo(200);
    }

    @Test
    void aDisabledAccountsDeliveriesAreHeldAndGoOutOnceItIsEnabled() {
        receiver.answer("/held", 500);
        createWebhook("/held");
        String deliveryId = publishAndAwaitFirstAttempt();
        receiver.answer("/held", 200);

        harness.admin().disable(tenant.account());

        var held = harness.store().deliveries().find(tenant.account(), new DeliveryId(deliveryId)).orElseThrow();
        assertThat(held.nextAttemptAt()).as("held: no next attempt").isEmpty();
        var internal = harness.engine().publisher().publish(new PublishRequest(tenant.account(), tenant.keyId(),
                "delivered", Json.object(), Optional.empty(), Optional.empty()));
        assertThat(internal.deliveries()).as("a disabled account's endpoints take no new deliveries").isZero();
        assertThat(receiver.received("/held")).hasSize(1);

        harness.admin().enable(tenant.account());

        Eventually.until("the held delivery sent once enabled", () -> receiver.received("/held").size() == 2);
        Eventually.until("the held delivery recorded", () -> api.get("/v1/deliveries/" + deliveryId).json()
                .path("status").asText().equals("delivered"));
    }

    @Test
    void deletingAnAccountRefusesItsKeysAndPurgesEverythingItOwned() {
        var other = harness.newAccount();
        var otherApi = harness.client(other);
        String webhook = createWebhook("/gone");
        otherApi.post("/v1/webhooks", webhookBody("/kept"));
        var published = api.post("/v1/events", "{\"type\":\"delivered\",\"data\":{}}");
        String eventId = published.json().get("id").asText();
        otherApi.post("/v1/events", "{\"type\":\"delivered\",\"data\":{}}");
        Eventually.until("both delivered", () -> receiver.received("/gone").size() == 1
                && receiver.received("/kept").size() == 1);
        Eventually.until("the attempt recorded", () -> api.get("/v1/webhooks/" + webhook + "/deliveries?status=delivered")
                .json().path("data").size() == 1);

        var deletion = harness.admin().delete(tenant.account());

        assertThat(deletion.complete()).isTrue();
        assertThat(api.get("/v1/webhooks").status()).isEqualTo(401);
        var accounts = harness.store().accounts();
        assertThat(accounts.findInAnyStatus(tenant.account())).isEmpty();
        assertThat(harness.admin().accounts()).noneMatch(a -> a.id().equals(tenant.account()));
        assertThat(harness.store().events().find(tenant.account(), new EventId(eventId))).isEmpty();
        assertThat(harness.store().endpoints().list(tenant.account(), PageRequest.first(10)).items()).isEmpty();
        assertThat(harness.store().apiKeys().list(tenant.account())).isEmpty();
        assertThat(otherApi.get("/v1/webhooks").json().get("data")).hasSize(1);
        assertThat(otherApi.get("/v1/events").json().get("data")).hasSize(1);
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
        return Eventually.get("the first attempt recorded", () -> {
            JsonNode deliveries = api.get("/v1/events/" + eventId).json().path("deliveries");
            return deliveries.size() == 1 && deliveries.get(0).path("attempt_count").asInt() == 1
                    ? Optional.of(deliveries.get(0).get("id").asText()) : Optional.empty();
        });
    }
}

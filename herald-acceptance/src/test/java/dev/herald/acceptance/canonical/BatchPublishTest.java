package dev.herald.acceptance.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.acceptance.testing.SeedExamples;
import dev.herald.core.account.AccountId;
import dev.herald.store.EventFilter;
import dev.herald.store.PageRequest;
import dev.herald.testing.Await;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/events/batch}: up to 500 events in one request, each answered in its place (published or refused
 * alone), delivered like single publishes; the limits refuse the whole request; an Idempotency-Key covers the
 * whole request; a platform key names an account per event.
 */
@ClassTemplate
class BatchPublishTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

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
    void publishesEveryEventOfABatchAndDeliversEachInRequestOrder() {
        createWebhook(api, "/all");
        String events = IntStream.range(0, 100)
                .mapToObj(i -> "{\"type\":\"delivered\",\"data\":{\"n\":" + i + "}}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));

        var published = api.post("/v1/events/batch", events);

        assertThat(published.status()).as("%s", published).isEqualTo(202);
        JsonNode data = published.json().get("data");
        assertThat(data).hasSize(100);
        var ids = new ArrayList<String>();
        for (JsonNode item : data) {
            assertThat(item.get("type").asText()).isEqualTo("delivered");
            assertThat(item.get("deliveries").asInt()).isEqualTo(1);
            ids.add(item.get("id").asText());
        }
        assertThat(ids).doesNotHaveDuplicates();
        Await.until("every event delivered", () -> receiver.requests("/all").size() == 100);
        Map<String, Integer> numberById = receiver.requests("/all").stream().collect(Collectors.toMap(
                r -> r.header("webhook-id"), r -> json(r.bodyText()).path("data").path("n").asInt()));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(numberById.get(ids.get(i))).as("event %d", i).isEqualTo(i);
        }
    }

    @Test
    void aBadEventFailsAloneWithItsCodeAndTheOthersAreStored() {
        createWebhook(api, "/mixed");

        var published = api.post("/v1/events/batch", """
                {"events":[
                  {"type":"delivered","data":{"n":0}},
                  {"type":"no.such.type","data":{}},
                  {"type":"delivered"},
                  {"type":"delivered","data":{},"id":"not-an-event-id"},
                  "not an object",
                  {"type":"delivered","data":{},"colour":"red"},
                  {"type":"delivered","data":{"n":6},"id":"evt_batch_six"}
                ]}""");

        assertThat(published.status()).as("%s", published).isEqualTo(202);
        JsonNode data = published.json().get("data");
        assertThat(data).hasSize(7);
        assertThat(data.get(0).has("id")).isTrue();
        assertThat(data.get(1).path("error").path("code").asText()).isEqualTo("invalid_events");
        assertThat(data.get(2).path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(data.get(2).path("error").path("field").asText()).isEqualTo("data");
        assertThat(data.get(3).path("error").path("field").asText()).isEqualTo("id");
        assertThat(data.get(4).path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(data.get(5).path("error").path("field").asText()).isEqualTo("colour");
        assertThat(data.get(6).get("id").asText()).isEqualTo("evt_batch_six");
        Await.until("the two good events delivered", () -> receiver.requests("/mixed").size() == 2);
        assertThat(api.get("/v1/events/evt_batch_six").status()).isEqualTo(200);
        assertThat(api.get("/v1/events").json().get("data")).hasSize(2);
    }

    @Test
    void refusesMoreThan500EventsAsAWhole() {
        String events = IntStream.range(0, 501)
                .mapToObj(i -> "{\"type\":\"delivered\",\"data\":{}}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));

        var refused = api.post("/v1/events/batch", events);

        assertThat(refused.status()).as("%s", refused).isEqualTo(413);
        assertThat(refused.errorCode()).isEqualTo("payload_too_large");
        assertThat(storedEvents(tenant.account())).isZero();
    }

    @Test
    void refusesABodyOverOneMebibyteAsAWhole() {
        String filler = "x".repeat(3000);
        String events = IntStream.range(0, 400)
                .mapToObj(i -> "{\"type\":\"delivered\",\"data\":{\"filler\":\"" + filler + "\"}}")
                .collect(Collectors.joining(",", "{\"events\":[", "]}"));
        assertThat(events.length()).isGreaterThan(1 << 20);

        var refused = api.post("/v1/events/batch", events);

        assertThat(refused.status()).as("%s", refused).isEqualTo(413);
        assertThat(refused.errorCode()).isEqualTo("payload_too_large");
        assertThat(storedEvents(tenant.account())).isZero();
    }

    @Test
    void refusesAnEmptyBatchAndABodyWithoutEvents() {
        assertThat(api.post("/v1/events/batch", "{\"events\":[]}").errorCode()).isEqualTo("invalid_request");
        assertThat(api.post("/v1/events/batch", "{}").errorCode()).isEqualTo("invalid_request");
        assertThat(api.post("/v1/events/batch", "{\"events\":{}}").errorCode()).isEqualTo("invalid_request");
    }

    @Test
    void aRepeatWithTheSameIdempotencyKeyAnswersTheFirstResponseAndStoresNothingMore() {
        createWebhook(api, "/once");
        String body = """
                {"events":[{"type":"delivered","data":{"n":0}},{"type":"nope","data":{}},
                           {"type":"delivered","data":{"n":2}}]}""";
        var keyed = api.withHeader("Idempotency-Key", "batch-1");

        var first = keyed.post("/v1/events/batch", body);
        var repeat = keyed.post("/v1/events/batch", body);

        assertThat(first.status()).as("%s", first).isEqualTo(202);
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.json()).isEqualTo(first.json());
        assertThat(repeat.header("Idempotent-Replayed")).contains("true");
        assertThat(keyed.post("/v1/events/batch", "{\"events\":[{\"type\":\"delivered\",\"data\":{}}]}").errorCode())
                .isEqualTo("idempotency_conflict");
        Await.until("both good events delivered", () -> receiver.requests("/once").size() == 2);
        assertThat(storedEvents(tenant.account())).isEqualTo(2);
    }

    @Test
    void eachEventsOwnIdMakesItARepeatOnItsOwn() {
        createWebhook(api, "/own");
        var first = api.post("/v1/events/batch", """
                {"events":[{"type":"delivered","data":{"n":0},"id":"evt_own_0"}]}""");
        assertThat(first.status()).as("%s", first).isEqualTo(202);

        var second = api.post("/v1/events/batch", """
                {"events":[{"type":"delivered","data":{"n":9},"id":"evt_own_0"},
                           {"type":"delivered","data":{"n":1},"id":"evt_own_1"}]}""");

        assertThat(second.status()).as("%s", second).isEqualTo(202);
        assertThat(second.json().get("data").get(0)).isEqualTo(first.json().get("data").get(0));
        assertThat(second.json().get("data").get(1).get("id").asText()).isEqualTo("evt_own_1");
        Await.until("two deliveries", () -> receiver.requests("/own").size() == 2);
        assertThat(receiver.requests("/own")).extracting(r -> json(r.bodyText()).path("data").path("n").asInt())
                .containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void thePlatformPublishesABatchForSeveralAccountsEachEventNamingItsAccount() {
        TestAccount other = herald.newAccount();
        TestAccount scopedKey = herald.newKey(other);
        createWebhook(api, "/first");
        createWebhook(herald.client(other), "/second");
        var scoped = herald.client(scopedKey).post("/v1/webhooks", "{\"url\":\"" + receiver.url("/scoped")
                + "\",\"events\":[\"delivered\"],\"api_key_id\":" + scopedKey.keyId().value() + "}");
        assertThat(scoped.status()).as("%s", scoped).isEqualTo(201);
        var platform = platformClient().withHeader("Idempotency-Key", "platform-batch");
        String body = """
                {"events":[
                  {"account":%d,"type":"delivered","data":{"to":"first"}},
                  {"account":"%d","type":"delivered","data":{"to":"second"},"api_key_id":%d},
                  {"account":999999,"type":"delivered","data":{}},
                  {"type":"delivered","data":{}},
                  {"account":%d,"type":"delivered","data":{},"api_key_id":%d}
                ]}""".formatted(tenant.account().value(), other.account().value(), scopedKey.keyId().value(),
                tenant.account().value(), scopedKey.keyId().value());

        var published = platform.post("/v1/events/batch", body);

        assertThat(published.status()).as("%s", published).isEqualTo(202);
        JsonNode data = published.json().get("data");
        assertThat(data.get(0).get("deliveries").asInt()).isEqualTo(1);
        assertThat(data.get(1).get("deliveries").asInt()).isEqualTo(2);
        assertThat(data.get(2).path("error").path("code").asText()).isEqualTo("account_not_found");
        assertThat(data.get(3).path("error").path("code").asText()).isEqualTo("account_required");
        assertThat(data.get(4).path("error").path("code").asText()).isEqualTo("invalid_api_key_id");
        Await.until("all three deliveries", () -> receiver.requests("/first").size() == 1
                && receiver.requests("/second").size() == 1 && receiver.requests("/scoped").size() == 1);
        assertThat(api.get("/v1/events/" + data.get(0).get("id").asText()).status()).isEqualTo(200);
        assertThat(api.get("/v1/events/" + data.get(1).get("id").asText()).status()).isEqualTo(404);

        // The Idempotency-Key reaches each event: a repeat answers with the events first stored.
        var repeat = platform.post("/v1/events/batch", body);
        assertThat(repeat.status()).as("%s", repeat).isEqualTo(202);
        assertThat(repeat.json()).isEqualTo(published.json());
        assertThat(storedEvents(tenant.account())).isEqualTo(1);
        assertThat(storedEvents(other.account())).isEqualTo(1);
    }

    @Test
    void aCustomerKeyCannotNameAnotherAccount() {
        var published = api.post("/v1/events/batch", """
                {"events":[{"type":"delivered","data":{},"account":1}]}""");

        assertThat(published.status()).as("%s", published).isEqualTo(202);
        assertThat(published.json().get("data").get(0).path("error").path("field").asText()).isEqualTo("account");
        assertThat(storedEvents(tenant.account())).isZero();
    }

    private ApiClient platformClient() {
        var key = herald.admin().post("/admin/v1/platform-keys", "{\"name\":\"backend\"}");
        assertThat(key.status()).as("%s", key).isEqualTo(201);
        return herald.anonymousClient().withHeader("Authorization", "Bearer " + key.json().path("key").asText());
    }

    private void createWebhook(ApiClient client, String path) {
        var created = client.post("/v1/webhooks",
                "{\"url\":\"" + receiver.url(path) + "\",\"events\":[\"delivered\"]}");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
    }

    private static int storedEvents(AccountId account) {
        return herald.store().events().list(account, EventFilter.ALL, PageRequest.first(250)).items().size();
    }

    private static JsonNode json(String text) {
        return SeedExamples.parse(text);
    }
}

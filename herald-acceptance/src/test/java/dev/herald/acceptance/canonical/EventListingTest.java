package dev.herald.acceptance.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/events}: the account's events, newest first, paginated and filtered by type and time. */
@ClassTemplate
class EventListingTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    private ApiClient api;

    @BeforeEach
    void setUp() {
        api = herald.client(herald.newAccount());
    }

    @Test
    void listsPublishedEventsNewestFirstPageByPage() {
        var published = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            published.add(publish("delivered", "{\"n\":" + i + "}"));
        }

        var seen = new ArrayList<String>();
        String path = "/v1/events?limit=2";
        int pages = 0;
        while (true) {
            var page = api.get(path);
            assertThat(page.status()).as("%s", page).isEqualTo(200);
            page.json().get("data").forEach(e -> seen.add(e.get("id").asText()));
            pages++;
            if (!page.json().get("has_more").asBoolean()) {
                assertThat(page.json().get("next_cursor").isNull()).isTrue();
                break;
            }
            path = "/v1/events?limit=2&cursor=" + page.json().get("next_cursor").asText();
        }

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(published.reversed());
    }

    @Test
    void aListedEventShowsItsTypeTimestampAndData() {
        String id = publish("bounced", "{\"message_id\":\"msg_1\"}");

        JsonNode event = api.get("/v1/events").json().get("data").get(0);

        assertThat(event.get("id").asText()).isEqualTo(id);
        assertThat(event.get("type").asText()).isEqualTo("bounced");
        assertThat(event.get("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(event.get("data").get("message_id").asText()).isEqualTo("msg_1");
        assertThat(event.has("deliveries")).isFalse();
    }

    @Test
    void filtersByTypeAndByTime() {
        String delivered = publish("delivered", "{}");
        String bounced = publish("bounced", "{}");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        assertThat(ids("/v1/events?type=bounced")).containsExactly(bounced);
        assertThat(ids("/v1/events?since=" + now.minusSeconds(3600))).containsExactly(bounced, delivered);
        assertThat(ids("/v1/events?until=" + now.minusSeconds(3600))).isEmpty();
        assertThat(ids("/v1/events?type=delivered&since=" + now.minusSeconds(3600) + "&until="
                + now.plusSeconds(3600))).containsExactly(delivered);
        assertThat(ids("/v1/events?since=" + encode("2024-01-15T10:00:00+01:00"))).hasSize(2);
    }

    @Test
    void anotherAccountsEventsAreNotListed() {
        var other = herald.client(herald.newAccount());
        other.post("/v1/events", "{\"type\":\"delivered\",\"data\":{}}");
        String ours = publish("delivered", "{}");

        assertThat(ids("/v1/events")).containsExactly(ours);
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        record Case(String query, String field) {
        }
        for (Case c : List.of(
                new Case("since=yesterday", "since"),
                new Case("since=" + encode("+999999999-12-31T23:59:59Z"), "since"),
                new Case("until=1969-12-31T23:59:59Z", "until"),
                new Case("until=10000-01-01T00:00:00Z", "until"),
                new Case("since=2024-01-02T00:00:00Z&until=2024-01-01T00:00:00Z", "until"),
                new Case("type=" + encode("Not A Type"), "type"),
                new Case("limit=0", "limit"),
                new Case("limit=251", "limit"),
                new Case("cursor=not-a-cursor", "cursor"))) {
            var response = api.get("/v1/events?" + c.query());
            assertThat(response.status()).as(c.query()).isEqualTo(400);
            assertThat(response.errorCode()).as(c.query()).isEqualTo("invalid_request");
            assertThat(response.json().path("error").path("field").asText()).as(c.query()).isEqualTo(c.field());
        }
    }

    @Test
    void theLargestPageIs250() {
        assertThat(api.get("/v1/events?limit=250").status()).isEqualTo(200);
    }

    /**
     * The receipt of a publish is written straight to the response (Json.answer): a repeat with the same
     * Idempotency-Key still answers it byte for byte, and only one event is listed.
     */
    @Test
    void aRepeatedPublishWithTheSameIdempotencyKeyAnswersTheFirstReceiptAndListsOneEvent() {
        var keyed = api.withHeader("Idempotency-Key", "publish-once");
        String body = "{\"type\":\"delivered\",\"data\":{\"n\":1}}";

        var first = keyed.post("/v1/events", body);
        var repeat = keyed.post("/v1/events", body);

        assertThat(first.status()).as("%s", first).isEqualTo(202);
        assertThat(first.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(first.json().get("type").asText()).isEqualTo("delivered");
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(repeat.body()).isEqualTo(first.body());
        assertThat(repeat.header("Idempotent-Replayed")).hasValue("true");
        assertThat(ids("/v1/events")).containsExactly(first.json().get("id").asText());
    }

    private String publish(String type, String data) {
        var response = api.post("/v1/events", "{\"type\":\"" + type + "\",\"data\":" + data + "}");
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        return response.json().get("id").asText();
    }

    private List<String> ids(String path) {
        var response = api.get(path);
        assertThat(response.status()).as("%s: %s", path, response).isEqualTo(200);
        var ids = new ArrayList<String>();
        response.json().get("data").forEach(e -> ids.add(e.get("id").asText()));
        return ids;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}

package dev.herald.acceptance.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.testing.Await;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Keyset pagination of {@code GET /v1/webhooks}: complete, duplicate-free and newest first under concurrent inserts. */
@ClassTemplate
class WebhookListingTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    @Test
    void pagesThroughEveryExistingWebhookExactlyOnceNewestFirstWhileOthersAreCreated() {
        ApiClient api = herald.client(herald.newAccount());
        var created = new ArrayList<String>();
        for (int i = 0; i < 120; i++) {
            created.add(create(api, "https://example.com/hook/" + i));
        }
        var stop = new AtomicBoolean();
        var insertedMeanwhile = new AtomicInteger();
        var inserter = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                create(api, "https://example.com/late/" + insertedMeanwhile.incrementAndGet());
            }
        });

        var seen = new ArrayList<String>();
        String cursor = null;
        int pages = 0;
        try {
            do {
                String path = "/v1/webhooks?limit=25"
                        + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                JsonNode page = api.get(path).json();
                page.get("data").forEach(item -> seen.add(item.get("id").asText()));
                assertThat(page.get("has_more").asBoolean()).isEqualTo(!page.get("next_cursor").isNull());
                cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
                pages++;
                // Make sure inserts really interleave with paging.
                int before = insertedMeanwhile.get();
                Await.until("an insert between two pages",
                        () -> insertedMeanwhile.get() != before || inserter.isDone());
            } while (cursor != null);
        } finally {
            stop.set(true);
            inserter.join();
        }

        List<String> newestFirst = created.reversed();
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.stream().filter(created::contains).toList()).isEqualTo(newestFirst);
        assertThat(pages).isGreaterThanOrEqualTo(5);
        assertThat(insertedMeanwhile.get()).isPositive();
    }

    @Test
    void listsOnlyTheCallersOwnWebhooks() {
        ApiClient mine = herald.client(herald.newAccount());
        ApiClient theirs = herald.client(herald.newAccount());
        String id = create(mine, "https://example.com/mine");
        create(theirs, "https://example.com/theirs");

        JsonNode page = mine.get("/v1/webhooks").json();

        assertThat(page.get("data")).hasSize(1);
        assertThat(page.get("data").get(0).get("id").asText()).isEqualTo(id);
    }

    @Test
    void limitCapsThePageAndDefaultsToFifty() {
        ApiClient api = herald.client(herald.newAccount());
        for (int i = 0; i < 55; i++) {
            create(api, "https://example.com/" + i);
        }

        assertThat(api.get("/v1/webhooks").json().get("data")).hasSize(50);
        assertThat(api.get("/v1/webhooks?limit=3").json().get("data")).hasSize(3);
        assertThat(api.get("/v1/webhooks?limit=250").json().get("data")).hasSize(55);
        assertThat(api.get("/v1/webhooks?limit=250").json().get("has_more").asBoolean()).isFalse();
    }

    private static String create(ApiClient api, String url) {
        var response = api.post("/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":[\"delivered\"]}");
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json().get("id").asText();
    }
}

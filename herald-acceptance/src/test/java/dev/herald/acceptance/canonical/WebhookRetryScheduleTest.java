package dev.herald.acceptance.canonical;

import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook's own {@code retry_schedule}, its {@code ordering} and its circuit fields on the canonical surface
 * (issue 24): shown on every webhook object, changed and cleared by PATCH, and refused when out of bounds.
 */
@ClassTemplate
class WebhookRetryScheduleTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.onEveryStore();

    private ApiClient api;

    @BeforeEach
    void newAccount() {
        api = herald.client(herald.newAccount());
    }

    @Test
    void aWebhookCarriesItsOwnScheduleAndShowsAClosedCircuitWithNothingHeld() {
        var created = api.post("/v1/webhooks", """
                {"url":"https://example.com/h","events":["*"],"retry_schedule":[0,60,300,86400]}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("retry_schedule").toString()).isEqualTo("[0,60,300,86400]");
        assertThat(created.json().get("circuit").asText()).isEqualTo("closed");
        String id = created.json().get("id").asText();
        var shown = api.get("/v1/webhooks/" + id).json();
        assertThat(shown.get("retry_schedule").toString()).isEqualTo("[0,60,300,86400]");
        assertThat(shown.get("circuit").asText()).isEqualTo("closed");
        assertThat(shown.get("held").asLong()).isZero();
        assertThat(api.get("/v1/webhooks").json().get("data").get(0).get("retry_schedule").toString())
                .isEqualTo("[0,60,300,86400]");
    }

    @Test
    void withoutOneTheConfiguredScheduleAppliesAndPatchSetsOrClearsIt() {
        String id = api.post("/v1/webhooks", "{\"url\":\"https://example.com/h\",\"events\":[\"*\"]}")
                .json().get("id").asText();
        assertThat(api.get("/v1/webhooks/" + id).json().get("retry_schedule").isNull()).isTrue();

        var set = api.patch("/v1/webhooks/" + id, "{\"retry_schedule\":[0,5,5]}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("retry_schedule").toString()).isEqualTo("[0,5,5]");
        // a change of another field keeps it
        assertThat(api.patch("/v1/webhooks/" + id, "{\"description\":\"x\"}").json().get("retry_schedule")
                .toString()).isEqualTo("[0,5,5]");

        var cleared = api.patch("/v1/webhooks/" + id, "{\"retry_schedule\":null}");
        assertThat(cleared.json().get("retry_schedule").isNull()).isTrue();
    }

    @Test
    void aWebhookIsUnorderedUnlessMadeFifo() {
        var created = api.post("/v1/webhooks",
                "{\"url\":\"https://example.com/h\",\"events\":[\"*\"],\"ordering\":\"fifo\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("ordering").asText()).isEqualTo("fifo");
        String id = created.json().get("id").asText();
        assertThat(api.get("/v1/webhooks/" + id).json().get("ordering").asText()).isEqualTo("fifo");
        assertThat(api.patch("/v1/webhooks/" + id, "{\"ordering\":\"unordered\"}").json().get("ordering").asText())
                .isEqualTo("unordered");

        var refused = api.patch("/v1/webhooks/" + id, "{\"ordering\":\"random\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").get("field").asText()).isEqualTo("ordering");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[86401]", "[-1]", "[1.5]", "[\"60\"]", "60",
            "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]"})
    void anOutOfBoundsScheduleIsRefusedWithItsOwnCode(String schedule) {
        var response = api.post("/v1/webhooks", """
                {"url":"https://example.com/h","events":["*"],"retry_schedule":%s}""".formatted(schedule));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").get("code").asText()).isEqualTo("invalid_retry_schedule");
        assertThat(response.json().get("error").get("field").asText()).isEqualTo("retry_schedule");
        String id = api.post("/v1/webhooks", "{\"url\":\"https://example.com/h\",\"events\":[\"*\"]}")
                .json().get("id").asText();
        var patched = api.patch("/v1/webhooks/" + id, "{\"retry_schedule\":%s}".formatted(schedule));
        assertThat(patched.status()).isEqualTo(400);
        assertThat(patched.json().get("error").get("code").asText()).isEqualTo("invalid_retry_schedule");
    }
}

package dev.herald.acceptance.canonical;

import dev.herald.acceptance.ApiClient;
import dev.herald.acceptance.HeraldExtension;
import dev.herald.acceptance.TestAccount;
import dev.herald.core.destination.BrokerCredentials;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.testing.Brokers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Broker endpoints on the canonical surface: type and config validated, credentials never shown again. */
class BrokerWebhooksTest {
    private static final String PASSWORD = "s3cret-pa55";
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.sqlite();
    /** Herald's defaults: HTTPS only, no loopback or private addresses, for brokers as for webhooks. */
    @RegisterExtension
    static final HeraldExtension strict = HeraldExtension.sqlite().strictOutbound();

    private ApiClient api;
    private TestAccount account;

    @BeforeEach
    void newAccount() {
        account = herald.newAccount();
        api = herald.client(account);
    }

    @Test
    void createsARabbitMqEndpointAndNeverShowsItsCredentialsAgain() {
        var created = api.post("/v1/webhooks", """
                {"type":"rabbitmq","events":["*"],"config":{"uri":"amqp://herald:%s@127.0.0.1:5672/%%2F",
                 "exchange":"events","routing_key":"herald.{type}"}}""".formatted(PASSWORD));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var json = created.json();
        assertThat(json.get("type").asText()).isEqualTo("rabbitmq");
        assertThat(json.get("url").asText()).isEqualTo("amqp://127.0.0.1:5672/%2F");
        assertThat(json.get("config").get("uri").asText()).isEqualTo("amqp://***@127.0.0.1:5672/%2F");
        assertThat(json.get("config").get("exchange").asText()).isEqualTo("events");
        assertThat(json.get("config").get("routing_key").asText()).isEqualTo("herald.{type}");
        assertThat(json.get("secret").asText()).startsWith("whsec_");
        String id = json.get("id").asText();
        for (var response : List.of(created, api.get("/v1/webhooks/" + id), api.get("/v1/webhooks"))) {
            assertThat(response.body()).doesNotContain(PASSWORD).doesNotContain("herald:");
        }
        assertThat(stored(id).credentials()).contains(new BrokerCredentials("herald:" + PASSWORD));
    }

    @Test
    void aPatchThatSendsBackTheRedactedAddressKeepsTheCredentials() {
        String id = api.post("/v1/webhooks", """
                {"type":"redis_stream","events":["*"],"config":{"url":"redis://app:%s@127.0.0.1:6379/0",
                 "stream":"herald"}}""".formatted(PASSWORD)).json().get("id").asText();

        var patched = api.patch("/v1/webhooks/" + id, """
                {"config":{"url":"redis://***@127.0.0.1:6379/0","stream":"other","maxlen":1000}}""");

        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("config").get("stream").asText()).isEqualTo("other");
        assertThat(patched.json().get("config").get("maxlen").asLong()).isEqualTo(1000);
        assertThat(patched.body()).doesNotContain(PASSWORD);
        assertThat(stored(id).credentials()).contains(new BrokerCredentials("app:" + PASSWORD));
        assertThat(api.patch("/v1/webhooks/" + id, """
                {"config":{"url":"redis://127.0.0.1:6379/0","stream":"other"}}""").status()).isEqualTo(200);
        assertThat(stored(id).credentials()).isEmpty();
    }

    @Test
    void aWebhookEndpointShowsTypeWebhookAndAnEmptyConfig() {
        var created = api.post("/v1/webhooks", """
                {"url":"https://example.com/h","events":["*"]}""");

        assertThat(created.json().get("type").asText()).isEqualTo("webhook");
        assertThat(created.json().get("config").isEmpty()).isTrue();
    }

    /** One invalid request and the error code and field it must answer with. */
    record BadConfig(String body, String code, String field) {
    }

    static List<BadConfig> badConfigs() {
        return List.of(
                new BadConfig("""
                        {"type":"kafka","events":["*"],"config":{}}""", "invalid_request", "type"),
                new BadConfig("""
                        {"type":"rabbitmq","events":["*"],"config":{"uri":"http://127.0.0.1","exchange":"e",
                         "routing_key":"k"}}""", "invalid_url", "config.uri"),
                new BadConfig("""
                        {"type":"rabbitmq","events":["*"],"config":{"uri":"amqp://127.0.0.1","routing_key":"k"}}""",
                        "invalid_request", "config.exchange"),
                new BadConfig("""
                        {"type":"rabbitmq","events":["*"],"config":{"uri":"amqp://127.0.0.1","exchange":"e",
                         "routing_key":"k.{id}"}}""", "invalid_request", "config.routing_key"),
                new BadConfig("""
                        {"type":"nats","events":["*"],"config":{"url":"nats://127.0.0.1","subject":"a.*"}}""",
                        "invalid_request", "config.subject"),
                new BadConfig("""
                        {"type":"nats","events":["*"],"config":{"url":"nats://127.0.0.1","subject":"a","x":1}}""",
                        "invalid_request", "config.x"),
                new BadConfig("""
                        {"type":"redis_stream","events":["*"],"config":{"url":"redis://127.0.0.1","stream":"s",
                         "maxlen":0}}""", "invalid_request", "config.maxlen"),
                new BadConfig("""
                        {"type":"redis_stream","events":["*"],"config":{"stream":"s"}}""",
                        "invalid_url", "config.url"),
                new BadConfig("""
                        {"type":"redis_stream","url":"https://example.com","events":["*"],
                         "config":{"url":"redis://127.0.0.1","stream":"s"}}""", "invalid_url", "url"),
                new BadConfig("""
                        {"url":"https://example.com/h","events":["*"],"config":{"uri":"amqp://x"}}""",
                        "invalid_request", "config"));
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void refusesAnInvalidTypeOrConfigWithACodeNamingTheField(BadConfig bad) {
        var response = api.post("/v1/webhooks", bad.body());

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo(bad.code());
        assertThat(response.body()).contains(bad.field());
    }

    @Test
    void refusesALoopbackBrokerHostUnlessAllowlisted() {
        var strictApi = strict.client(strict.newAccount());

        var response = strictApi.post("/v1/webhooks", """
                {"type":"nats","events":["*"],"config":{"url":"nats://127.0.0.1:4222","subject":"herald"}}""");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorCode()).isEqualTo("invalid_url");
        assertThat(response.body()).contains("config.url");
    }

    @Test
    void aTestSendToARedisStreamIsRecordedAsASuccessfulAttempt() {
        Brokers.REDIS.require();
        String id = api.post("/v1/webhooks", """
                {"type":"redis_stream","events":["*"],"config":{"url":"redis://127.0.0.1:6379",
                 "stream":"herald:api-test:%s","maxlen":100}}""".formatted(account.keyId().value()))
                .json().get("id").asText();

        var response = api.post("/v1/webhooks/" + id + "/test", "{}");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("entry ");
    }

    private Destination stored(String id) {
        return herald.store().endpoints().findByPublicId(account.account(), new WebhookId(id)).orElseThrow()
                .destination();
    }
}

package dev.herald.core.destination;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.Cidr;
import dev.herald.core.outbound.UrlPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationRulesTest {
    private final DestinationRules rules = new DestinationRules(UrlPolicy.create(java.util.Set.of("https"),
            AddressPolicy.create(List.of(Cidr.parse("127.0.0.0/8")))));
    private final DestinationRules strict = new DestinationRules(UrlPolicy.create(java.util.Set.of("https"),
            AddressPolicy.create(List.of())));

    @Test
    void splitsCredentialsFromTheAddressAndShowsThemRedacted() {
        var destination = rules.check("rabbitmq", Map.of("uri", "amqps://app:p%40ss@mq.example.com:5671/prod",
                "exchange", "events", "routing_key", "herald.{type}"));

        assertThat(destination).isEqualTo(new Destination.RabbitMq(URI.create("amqps://mq.example.com:5671/prod"),
                Optional.of(new BrokerCredentials("app:p%40ss")), "events", "herald.{type}"));
        assertThat(destination.credentials().orElseThrow().username()).isEqualTo("app");
        assertThat(destination.credentials().orElseThrow().password()).contains("p@ss");
        assertThat(destination.config()).containsEntry("uri", "amqps://mq.example.com:5671/prod");
        assertThat(destination.shownConfig()).containsEntry("uri", "amqps://***@mq.example.com:5671/prod");
        assertThat(destination.toString()).doesNotContain("p%40ss");
    }

    @Test
    void aTokenWithoutAColonIsAUsernameOnlyCredential() {
        var destination = rules.check("nats", Map.of("url", "nats://t0ken@127.0.0.1:4222", "subject", "a.{type}"));

        assertThat(destination.credentials().orElseThrow().username()).isEqualTo("t0ken");
        assertThat(destination.credentials().orElseThrow().password()).isEmpty();
    }

    @Test
    void theRedactedMarkerKeepsTheStoredCredentialsAndIsRefusedWhenThereAreNone() {
        var current = rules.check("redis_stream", Map.of("url", "redis://:pw@127.0.0.1:6379", "stream", "s"));

        var changed = rules.checkChange(current, Map.of("url", "redis://***@127.0.0.1:6380", "stream", "t",
                "maxlen", 10));

        assertThat(changed).isEqualTo(new Destination.RedisStream(URI.create("redis://127.0.0.1:6380"),
                Optional.of(new BrokerCredentials(":pw")), "t", OptionalLong.of(10)));
        assertThatThrownBy(() -> rules.check("redis_stream", Map.of("url", "redis://***@127.0.0.1", "stream", "s")))
                .isInstanceOf(HeraldException.class).hasMessageContaining("redacted");
    }

    @Test
    void restoreRebuildsWhatTheStoreKept() {
        var destination = rules.check("redis_stream", Map.of("url", "redis://u:p@127.0.0.1/2", "stream", "s",
                "maxlen", 5));

        var restored = DestinationRules.restore(DestinationType.REDIS_STREAM, destination.config(),
                destination.credentials());

        assertThat(restored).isEqualTo(destination);
    }

    @Test
    void aWebhookTakesAnEmptyConfigOnly() {
        assertThat(rules.check("webhook", Map.of())).isEqualTo(Destination.WEBHOOK);
        assertThatThrownBy(() -> rules.check("webhook", Map.of("url", "https://x")))
                .isInstanceOf(HeraldException.class).hasMessageContaining("no config");
    }

    @Test
    void loopbackBrokerHostsAreRefusedUnlessAllowlisted() {
        assertThatThrownBy(() -> strict.check("nats", Map.of("url", "nats://localhost:4222", "subject", "a")))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_URL);
                    assertThat(e.field()).contains("config.url");
                });
        assertThatThrownBy(() -> strict.check("redis_stream", Map.of("url", "redis://169.254.169.254",
                "stream", "s"))).isInstanceOf(HeraldException.class).hasMessageContaining("not allowed");
        assertThat(rules.check("nats", Map.of("url", "nats://127.0.0.1:4222", "subject", "a")).type())
                .isEqualTo(DestinationType.NATS);
    }

    /** A config the rules refuse, and the field the error names. */
    record Refused(String type, Map<String, Object> config, String field) {
    }

    static List<Refused> refused() {
        return List.of(
                new Refused("sqs", Map.of(), "type"),
                new Refused("rabbitmq", Map.of("uri", "amqp://127.0.0.1", "exchange", "e"), "config.routing_key"),
                new Refused("rabbitmq", Map.of("uri", "nats://127.0.0.1", "exchange", "e", "routing_key", "k"),
                        "config.uri"),
                new Refused("rabbitmq", Map.of("uri", "amqp://127.0.0.1", "exchange", 5, "routing_key", "k"),
                        "config.exchange"),
                new Refused("rabbitmq", Map.of("uri", "amqp://127.0.0.1", "exchange", "e", "routing_key",
                        "x".repeat(256)), "config.routing_key"),
                new Refused("rabbitmq", Map.of("uri", "amqp:///vhost", "exchange", "e", "routing_key", "k"),
                        "config.uri"),
                new Refused("nats", Map.of("url", "nats://127.0.0.1", "subject", ""), "config.subject"),
                new Refused("nats", Map.of("url", "nats://127.0.0.1", "subject", "a..b"), "config.subject"),
                new Refused("nats", Map.of("url", "nats://127.0.0.1", "subject", "a b"), "config.subject"),
                new Refused("nats", Map.of("url", "nats://127.0.0.1", "subject", "a.>"), "config.subject"),
                new Refused("nats", Map.of("url", "nats://127.0.0.1#x", "subject", "a"), "config.url"),
                new Refused("redis_stream", Map.of("url", "rediss://127.0.0.1", "stream", "s", "maxlen", "10"),
                        "config.maxlen"),
                new Refused("redis_stream", Map.of("url", "redis://127.0.0.1", "stream", "s", "maxlen", 1.5),
                        "config.maxlen"),
                new Refused("redis_stream", Map.of("url", "redis://127.0.0.1", "stream", "s", "maxlen",
                        BigInteger.TEN.pow(30)), "config.maxlen"),
                new Refused("redis_stream", withNull("url"), "config.url"),
                new Refused("redis_stream", Map.of("url", "redis://127.0.0.1", "stream", "s", "MAXLEN", 1),
                        "config.MAXLEN"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesAnInvalidConfigNamingTheField(Refused refused) {
        assertThatThrownBy(() -> rules.check(refused.type(), refused.config()))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.field()).contains(refused.field()));
    }

    private static Map<String, Object> withNull(String field) {
        var config = new LinkedHashMap<String, Object>();
        config.put(field, null);
        config.put("stream", "s");
        return config;
    }
}

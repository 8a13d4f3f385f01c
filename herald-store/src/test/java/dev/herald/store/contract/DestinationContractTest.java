package dev.herald.store.contract;

import dev.herald.core.destination.BrokerCredentials;
import dev.herald.core.destination.Destination;
import dev.herald.core.destination.DestinationType;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.EndpointChanges;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class DestinationContractTest extends StoreContractTest {
    private TestTenant acme;

    DestinationContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void tenant() {
        acme = TestData.tenant(store, NOW);
    }

    @Test
    void aWebhookEndpointIsOfTypeWebhookWithNoConfig() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);

        var found = store.endpoints().findForDelivery(endpoint.id()).orElseThrow();

        assertThat(found.type()).isEqualTo(DestinationType.WEBHOOK);
        assertThat(found.destination()).isEqualTo(Destination.WEBHOOK);
    }

    @Test
    void storesEachBrokerDestinationWithItsCredentialsAndReadsItBack() {
        var rabbit = new Destination.RabbitMq(URI.create("amqp://127.0.0.1:5672/%2F"),
                Optional.of(new BrokerCredentials("guest:guest")), "events", "herald.{type}");
        var nats = new Destination.Nats(URI.create("nats://127.0.0.1:4222"), Optional.empty(), "herald.{type}");
        var redis = new Destination.RedisStream(URI.create("redis://127.0.0.1:6379/0"),
                Optional.of(new BrokerCredentials(":s3cret")), "herald", OptionalLong.of(10_000));

        for (Destination destination : List.of(rabbit, nats, redis)) {
            var created = store.endpoints().create(brokerEndpoint(destination), NOW);

            var found = store.endpoints().findForDelivery(created.id()).orElseThrow();
            assertThat(found.destination()).isEqualTo(destination);
            assertThat(found.url()).isEqualTo(destination.address().orElseThrow().toString());
            assertThat(found).isEqualTo(created);
        }
    }

    @Test
    void anUpdateReplacesTheConfigAndItsCredentials() {
        var before = new Destination.RedisStream(URI.create("redis://127.0.0.1:6379"),
                Optional.of(new BrokerCredentials("app:old")), "herald", OptionalLong.empty());
        var created = store.endpoints().create(brokerEndpoint(before), NOW);
        var after = new Destination.RedisStream(URI.create("redis://127.0.0.1:6380"), Optional.empty(), "other",
                OptionalLong.of(5));

        store.endpoints().update(created.accountId(), created.id(),
                EndpointChanges.NONE.withDestination(after).withUrl("redis://127.0.0.1:6380"), NOW.plusSeconds(1));

        var found = store.endpoints().findForDelivery(created.id()).orElseThrow();
        assertThat(found.destination()).isEqualTo(after);
        assertThat(found.url()).isEqualTo("redis://127.0.0.1:6380");
    }

    private NewEndpoint brokerEndpoint(Destination destination) {
        return new NewEndpoint(acme.accountId(), destination.address().orElseThrow().toString(), List.of("*"),
                Optional.empty(), acme.keyId(), Optional.empty(), OptionalInt.empty(), Map.of(),
                SigningSecret.generate(), destination);
    }
}

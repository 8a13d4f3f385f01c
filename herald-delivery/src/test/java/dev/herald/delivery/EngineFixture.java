package dev.herald.delivery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.event.EventType;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.Cidr;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A real store, a tenant and a running engine allowed to send plain HTTP to loopback receivers; the engine's and the
 * store's metrics (statements sent) in one registry.
 */
final class EngineFixture implements AutoCloseable {
    static final List<EventType> CATALOG = List.of(
            new EventType("order.created", "An order was created.", Optional.empty()),
            new EventType("order.paid", "An order was paid.", Optional.empty()));
    static final RetrySchedule COMPRESSED = new RetrySchedule(List.of(Duration.ZERO, Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2)), 0);

    final Store store;
    final TestTenant tenant;
    final Clock clock;
    final SimpleMeterRegistry meters;
    final DeliverySettings settings;
    DeliveryEngine engine;

    private EngineFixture(Store store, SimpleMeterRegistry meters, Clock clock, DeliverySettings settings) {
        this.store = store;
        this.meters = meters;
        this.clock = clock;
        this.settings = settings;
        this.tenant = TestData.tenant(store, clock.instant());
    }

    static DeliverySettings localSettings() {
        return DeliverySettings.defaults()
                .withAllowHttp(true)
                .withAddressPolicy(AddressPolicy.create(List.of(Cidr.parse("127.0.0.0/8"))))
                .withRequestTimeout(Duration.ofSeconds(2))
                .withPollInterval(Duration.ofMillis(20))
                .withRetrySchedule(COMPRESSED)
                .withEndpointCacheTtl(Duration.ofMillis(200))
                .withShutdownGrace(Duration.ofSeconds(3));
    }

    static EngineFixture start(StoreKind kind, Path dir, Clock clock, UnaryOperator<DeliverySettings> tweak) {
        var meters = new SimpleMeterRegistry();
        var fixture = new EngineFixture(kind.open(dir, meters), meters, clock, tweak.apply(localSettings()));
        fixture.engine = fixture.newEngine(fixture.settings);
        fixture.engine.start();
        return fixture;
    }

    DeliveryEngine newEngine(DeliverySettings s) {
        return DeliveryEngine.create(store, s, EventCatalog.create(CATALOG, store.eventTypes()), clock, meters);
    }

    /** Creates an endpoint and tells the engine, as the API's endpoint service does after every create. */
    Endpoint endpoint(String url, String... types) {
        Endpoint created = TestData.endpoint(store, tenant, url, clock.instant(), types);
        if (engine != null) {
            engine.endpointChanged(created.id());
        }
        return created;
    }

    PublishReceipt publish(String type) {
        return engine.publisher().publish(new PublishRequest(tenant.accountId(), Optional.of(tenant.keyId()), type,
                JsonNodeFactory.instance.objectNode().put("order", 42), Optional.empty(), Optional.empty()));
    }

    Delivery deliveryOf(PublishReceipt receipt, Endpoint endpoint) {
        return store.events().deliveriesOf(tenant.accountId(), receipt.event().id()).stream()
                .filter(d -> d.endpointId().equals(endpoint.id())).findFirst().orElseThrow();
    }

    Delivery reload(Delivery d) {
        return store.deliveries().findByKey(d.key()).orElseThrow();
    }

    List<Attempt> attempts(Delivery d) {
        return store.deliveries().attempts(d.key());
    }

    Endpoint reload(Endpoint e) {
        return store.endpoints().find(tenant.accountId(), e.id()).orElseThrow();
    }

    List<Delivery> deliveriesOf(Endpoint e) {
        return store.deliveries().listForEndpoint(e.id(), Optional.empty(), PageRequest.first(250)).items();
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        store.close();
    }
}

package dev.herald.store.testing;

import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
import dev.herald.store.PublishedEvent;
import dev.herald.store.Store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/** Quick rows for tests of any module: a tenant with a key, endpoints, events with deliveries. */
public final class TestData {
    private TestData() {
    }

    /** A new account with one API key. */
    public static TestTenant tenant(Store store, Instant now) {
        var account = store.accounts().create("tenant " + UUID.randomUUID(), now);
        var token = ApiKeyToken.generate();
        var key = store.apiKeys().create(account.id(), "test key", token.hash(), token.hint(), now);
        return new TestTenant(account, key, token);
    }

    /** An endpoint definition subscribed to {@code eventTypes} (all events when none are given). */
    public static NewEndpoint newEndpoint(TestTenant tenant, String url, String... eventTypes) {
        List<String> types = eventTypes.length == 0 ? List.of(Endpoint.ALL_EVENTS) : Arrays.asList(eventTypes);
        return new NewEndpoint(tenant.accountId(), url, types, Optional.empty(), tenant.keyId(), Optional.empty(),
                OptionalInt.empty(), Map.of(), SigningSecret.generate());
    }

    public static Endpoint endpoint(Store store, TestTenant tenant, String url, Instant now, String... eventTypes) {
        return store.endpoints().create(newEndpoint(tenant, url, eventTypes), now);
    }

    /** An event with a generated id and a well-formed wire payload. */
    public static Event event(TestTenant tenant, String type, Instant at) {
        var id = EventId.generate();
        String payload = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + at
                + "\",\"data\":{}}";
        return new Event(id, tenant.accountId(), type, at, payload, Optional.empty(), Optional.of(tenant.keyId()));
    }

    /** A draft delivering {@code event} to each endpoint, due at {@code dueAt}, unleased. */
    public static EventDraft draft(Event event, List<Endpoint> endpoints, Instant dueAt) {
        return new EventDraft(event, endpoints.stream()
                .map(e -> new DeliveryDraft(DeliveryId.generate(), e.id(), Optional.of(dueAt), Optional.<Lease>empty()))
                .toList());
    }

    /** Publishes one event of {@code type} to the endpoints, due at {@code now}. */
    public static PublishedEvent publish(Store store, TestTenant tenant, String type, Instant now,
                                         Endpoint... endpoints) {
        return store.events().insert(List.of(draft(event(tenant, type, now), List.of(endpoints), now))).getFirst();
    }
}

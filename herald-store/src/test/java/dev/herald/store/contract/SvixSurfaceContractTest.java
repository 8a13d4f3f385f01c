package dev.herald.store.contract;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;
import dev.herald.core.event.PlatformEventType;
import dev.herald.store.AttemptRecord;
import dev.herald.store.EndpointChanges;
import dev.herald.store.EventAttempt;
import dev.herald.store.EventFilter;
import dev.herald.store.IdempotencyRecord;
import dev.herald.store.Lease;
import dev.herald.store.ListOrder;
import dev.herald.store.PageRequest;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Svix-compatible surface stores (V8): an endpoint's profile, an event's format, uid and channels, attempts
 * by event and by endpoint, delivery counts, the platform's event types and idempotency records, and an account's
 * name, uid and metadata changed.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class SvixSurfaceContractTest extends StoreContractTest {
    private TestTenant acme;

    SvixSurfaceContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void tenant() {
        acme = TestData.tenant(store, NOW);
    }

    @Test
    void anEndpointKeepsItsProfileAndIsFoundByItsUid() {
        var profile = new EndpointProfile(Optional.of("ep-1"), Map.of("team", "growth"), List.of("eu", "us"), 3);
        var draft = TestData.newEndpoint(acme, "https://example.com/hook", "*");
        var created = store.endpoints().create(new NewEndpoint(draft.accountId(), draft.url(),
                draft.eventTypes(), draft.description(), draft.createdBy(), draft.scopeKey(), draft.rateLimit(),
                draft.headers(), draft.secret(), draft.destination(), profile, Optional.empty(), Ordering.UNORDERED), NOW);

        assertThat(created.profile()).isEqualTo(profile);
        assertThat(store.endpoints().findByUid(acme.accountId(), "ep-1")).get().extracting(Endpoint::profile)
                .isEqualTo(profile);
        var other = TestData.tenant(store, NOW);
        assertThat(store.endpoints().findByUid(other.accountId(), "ep-1")).as("scoped to the account").isEmpty();

        var changed = new EndpointProfile(Optional.empty(), Map.of(), List.of(), 1);
        var updated = store.endpoints().update(acme.accountId(), created.id(),
                EndpointChanges.NONE.withRateLimit(OptionalInt.of(5)).withProfile(changed), NOW).orElseThrow();
        assertThat(updated.profile()).isEqualTo(changed);
        assertThat(updated.rateLimit()).hasValue(5);
        assertThat(store.endpoints().findByUid(acme.accountId(), "ep-1")).isEmpty();
        var untouched = store.endpoints().update(acme.accountId(), created.id(),
                EndpointChanges.NONE.withDescription(Optional.of("d")), NOW).orElseThrow();
        assertThat(untouched.profile()).as("a change that names no profile keeps it").isEqualTo(changed);
    }

    @Test
    void aSvixEventKeepsItsFormatUidAndChannelsAndItsAttemptsAreListed() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/1", NOW);
        var base = TestData.event(acme, "user.signup", NOW);
        var event = new Event(base.id(), base.accountId(), base.type(), base.timestamp(), "{\"raw\": true}",
                Optional.empty(), Optional.empty(), EventFormat.SVIX, Optional.of("signup-1"), List.of("eu"));
        var published = store.events().insert(List.of(TestData.draft(event, List.of(endpoint), NOW))).getFirst();
        var canonical = TestData.publish(store, acme, "job.completed", NOW, endpoint);

        assertThat(store.events().find(acme.accountId(), event.id())).contains(event);
        assertThat(store.events().findByUid(acme.accountId(), "signup-1")).contains(event);
        assertThat(store.events().find(acme.accountId(), canonical.event().id())).get()
                .extracting(Event::format).isEqualTo(EventFormat.CANONICAL);
        assertThat(store.events().list(acme.accountId(), EventFilter.ALL.withTypes(List.of("user.signup", "x.y")),
                PageRequest.first(10)).items()).containsExactly(event);
        var claimed = store.deliveries().claimDue(new Lease("node", NOW.plusSeconds(30)), NOW, 10);
        assertThat(claimed).anySatisfy(c -> {
            assertThat(c.delivery().eventId()).isEqualTo(event.id());
            assertThat(c.format()).isEqualTo(EventFormat.SVIX);
            assertThat(c.payload()).isEqualTo("{\"raw\": true}");
        });

        var delivery = published.deliveries().getFirst();
        store.deliveries().recordAttempts(List.of(new AttemptRecord(delivery.key(), endpoint.id(), 1,
                NOW.plusSeconds(1), 12, OptionalInt.of(200), "ok", Optional.empty(), Optional.empty(),
                DeliveryState.DELIVERED, Optional.empty())));
        assertThat(store.deliveries().attemptsOfEvent(acme.accountId(), event.id())).singleElement()
                .satisfies(a -> assertThat(a.eventId()).isEqualTo(event.id()));
        assertThat(store.deliveries().attemptsOfEvent(acme.accountId(), EventId.generate())).isEmpty();
        var page = store.deliveries().attemptsOfEndpoint(endpoint.id(), PageRequest.first(10));
        assertThat(page.items()).singleElement().satisfies(a -> assertThat(a.attempt().responseStatus()).hasValue(200));
        assertThat(store.deliveries().countByState(endpoint.id())).containsEntry(DeliveryState.DELIVERED, 1L)
                .containsEntry(DeliveryState.PENDING, 1L).containsEntry(DeliveryState.FAILED, 0L);
    }

    @Test
    void theAttemptAfterAManualRetryIsManualAndTheOnesTheScheduleMakesAreNot() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/1", NOW);
        var published = TestData.publish(store, acme, "job.completed", NOW, endpoint);
        var other = TestData.publish(store, acme, "job.completed", NOW, endpoint);
        long key = published.deliveries().getFirst().key();
        long otherKey = other.deliveries().getFirst().key();

        store.deliveries().recordAttempts(List.of(failed(key, endpoint, 1, 1), failed(otherKey, endpoint, 1, 1)));
        assertThat(store.deliveries().retryNow(key, NOW.plusSeconds(2))).isTrue();
        store.deliveries().recordAttempts(List.of(failed(otherKey, endpoint, 2, 3), failed(key, endpoint, 2, 3)));
        store.deliveries().recordAttempts(List.of(failed(key, endpoint, 3, 4)));
        assertThat(store.deliveries().markManual(otherKey)).isTrue();
        assertThat(store.deliveries().markManual(Long.MAX_VALUE)).isFalse();
        // two attempts of one delivery in a batch: only the first is the manual one
        store.deliveries().recordAttempts(List.of(failed(otherKey, endpoint, 3, 5), failed(otherKey, endpoint, 4, 6)));

        assertThat(store.deliveries().attempts(key)).extracting(a -> a.manual()).containsExactly(false, true, false);
        assertThat(store.deliveries().attempts(otherKey)).extracting(a -> a.manual())
                .containsExactly(false, false, true, false);
        assertThat(store.deliveries().attemptsOfEvent(acme.accountId(), published.event().id()))
                .extracting(a -> a.attempt().manual()).containsExactly(false, true, false);
        assertThat(store.deliveries().attemptsOfEndpoint(endpoint.id(), PageRequest.first(10)).items())
                .filteredOn(a -> a.attempt().manual()).hasSize(2);
    }

    @Test
    void eventsEndpointsAndAttemptsAreListedOldestFirstPageByPage() {
        var endpoints = new ArrayList<Endpoint>();
        var events = new ArrayList<EventId>();
        var attempts = new ArrayList<Long>();
        for (int i = 0; i < 3; i++) {
            endpoints.add(TestData.endpoint(store, acme, "https://example.com/" + i, NOW));
        }
        for (int i = 0; i < 3; i++) {
            var published = TestData.publish(store, acme, "job.completed", NOW, endpoints.getFirst());
            events.add(published.event().id());
            store.deliveries().recordAttempts(List.of(failed(published.deliveries().getFirst().key(),
                    endpoints.getFirst(), 1, i)));
            attempts.add(store.deliveries().attempts(published.deliveries().getFirst().key()).getFirst().id());
        }

        var first = store.events().list(acme.accountId(), EventFilter.ALL, PageRequest.first(2), ListOrder.OLDEST_FIRST);
        assertThat(first.items()).extracting(Event::id).containsExactly(events.get(0), events.get(1));
        assertThat(first.hasMore()).isTrue();
        var second = store.events().list(acme.accountId(), EventFilter.ALL, new PageRequest(first.nextCursor(), 2),
                ListOrder.OLDEST_FIRST);
        assertThat(second.items()).extracting(Event::id).containsExactly(events.get(2));
        assertThat(second.hasMore()).isFalse();
        assertThat(store.events().list(acme.accountId(), EventFilter.ALL.withTypes(List.of("job.completed")),
                new PageRequest(first.nextCursor(), 2), ListOrder.NEWEST_FIRST).items())
                .as("a cursor continues in the order asked for").extracting(Event::id).containsExactly(events.get(0));

        var firstEndpoints = store.endpoints().list(acme.accountId(), PageRequest.first(2), ListOrder.OLDEST_FIRST);
        assertThat(firstEndpoints.items()).extracting(Endpoint::id).containsExactly(endpoints.get(0).id(),
                endpoints.get(1).id());
        var lastEndpoints = store.endpoints().list(acme.accountId(), new PageRequest(firstEndpoints.nextCursor(), 2),
                ListOrder.OLDEST_FIRST);
        assertThat(lastEndpoints.items()).extracting(Endpoint::id).containsExactly(endpoints.get(2).id());
        assertThat(lastEndpoints.hasMore()).isFalse();
        assertThat(store.endpoints().list(acme.accountId(), PageRequest.first(3)).items()).as("newest first by default")
                .extracting(Endpoint::id).containsExactly(endpoints.get(2).id(), endpoints.get(1).id(),
                        endpoints.get(0).id());

        var endpoint = endpoints.getFirst().id();
        var firstAttempts = store.deliveries().attemptsOfEndpoint(endpoint, PageRequest.first(2), ListOrder.OLDEST_FIRST);
        assertThat(firstAttempts.items()).extracting(a -> a.attempt().id()).containsExactly(attempts.get(0),
                attempts.get(1));
        assertThat(firstAttempts.items()).extracting(EventAttempt::eventId).containsExactly(events.get(0),
                events.get(1));
        var lastAttempts = store.deliveries().attemptsOfEndpoint(endpoint, new PageRequest(firstAttempts.nextCursor(),
                2), ListOrder.OLDEST_FIRST);
        assertThat(lastAttempts.items()).extracting(a -> a.attempt().id()).containsExactly(attempts.get(2));
        assertThat(lastAttempts.hasMore()).isFalse();
        assertThat(store.deliveries().attemptsOfEndpoint(endpoint, PageRequest.first(3)).items())
                .extracting(a -> a.attempt().id()).containsExactly(attempts.get(2), attempts.get(1), attempts.get(0));
    }

    private static AttemptRecord failed(long key, Endpoint endpoint, int number, int second) {
        return new AttemptRecord(key, endpoint.id(), number, NOW.plusSeconds(second), 5, OptionalInt.of(500), "no",
                Optional.of(ErrorClass.STATUS), Optional.of("HTTP 500"), DeliveryState.PENDING,
                Optional.of(NOW.plusSeconds(60)));
    }

    @Test
    void aSecondEventWithTheSameUidInTheAccountIsNotStoredAndAnswersTheFirst() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/1", NOW);
        var first = svixEvent(acme, "order-7");
        var racing = svixEvent(acme, "order-7");
        var sameBatch = svixEvent(acme, "order-8");
        var twinInBatch = svixEvent(acme, "order-8");
        var otherAccount = svixEvent(TestData.tenant(store, NOW), "order-7");

        assertThat(store.events().insert(List.of(TestData.draft(first, List.of(endpoint), NOW))).getFirst().created())
                .isTrue();
        var results = store.events().insert(List.of(TestData.draft(racing, List.of(endpoint), NOW),
                TestData.draft(sameBatch, List.of(endpoint), NOW), TestData.draft(twinInBatch, List.of(endpoint), NOW),
                TestData.draft(otherAccount, List.of(), NOW)));

        assertThat(results.get(0).created()).isFalse();
        assertThat(results.get(0).event().id()).isEqualTo(first.id());
        assertThat(results.get(1).created()).isTrue();
        assertThat(results.get(2).created()).isFalse();
        assertThat(results.get(2).event().id()).isEqualTo(sameBatch.id());
        assertThat(results.get(3).created()).as("eventIds are unique per account").isTrue();
        assertThat(store.events().find(acme.accountId(), racing.id())).isEmpty();
        assertThat(store.deliveries().claimDue(new Lease("node", NOW.plusSeconds(30)), NOW, 10))
                .as("the refused events have no deliveries").hasSize(2);
    }

    private static Event svixEvent(TestTenant tenant, String uid) {
        var base = TestData.event(tenant, "user.signup", NOW);
        return new Event(base.id(), base.accountId(), base.type(), base.timestamp(), "{}", Optional.empty(),
                Optional.empty(), EventFormat.SVIX, Optional.of(uid), List.of());
    }

    @Test
    void thePlatformsEventTypesAreCreatedOnceUpdatedArchivedAndDeleted() {
        var type = new PlatformEventType("invoice.paid", "Paid", Optional.of("{\"1\":{}}"), false, false, NOW, NOW);
        assertThat(store.platformEventTypes().create(type)).isTrue();
        assertThat(store.platformEventTypes().create(type)).isFalse();
        assertThat(store.platformEventTypes().find("invoice.paid")).contains(type);

        var archived = new PlatformEventType("invoice.paid", "Paid!", Optional.empty(), true, true, NOW,
                NOW.plusSeconds(1));
        assertThat(store.platformEventTypes().update(archived)).isTrue();
        assertThat(store.platformEventTypes().list(false)).isEmpty();
        assertThat(store.platformEventTypes().list(true)).containsExactly(archived);
        assertThat(store.platformEventTypes().delete("invoice.paid")).isTrue();
        assertThat(store.platformEventTypes().find("invoice.paid")).isEmpty();
        assertThat(store.platformEventTypes().update(archived)).isFalse();
    }

    @Test
    void thePlatformsIdempotencyRecordsAreKeptPerScopeAndPurged() {
        var record = new IdempotencyRecord("hash", 201, "{}", NOW);
        assertThat(store.idempotency().putIfAbsentForPlatform("svix", "k", record)).isEqualTo(record);
        var other = new IdempotencyRecord("other", 200, "{}", NOW.plusSeconds(1));
        assertThat(store.idempotency().putIfAbsentForPlatform("svix", "k", other)).isEqualTo(record);
        assertThat(store.idempotency().findForPlatform("svix", "k", NOW)).contains(record);
        assertThat(store.idempotency().findForPlatform("elsewhere", "k", NOW)).isEmpty();
        assertThat(store.idempotency().findForPlatform("svix", "k", NOW.plusSeconds(1))).as("too old").isEmpty();

        store.idempotency().purgeOlderThan(NOW.plusSeconds(1));
        assertThat(store.idempotency().findForPlatform("svix", "k", NOW.minusSeconds(1))).isEmpty();
    }

    @Test
    void anAccountsNameUidAndMetadataChangeUnlessTheUidIsTaken() {
        var other = store.accounts().create("Other", Optional.of("taken"), Map.of(), NOW).orElseThrow();
        var updated = store.accounts().update(acme.accountId(), "Acme Inc", Optional.of("acme"), Map.of("plan", "pro"))
                .orElseThrow();
        assertThat(updated.name()).isEqualTo("Acme Inc");
        assertThat(store.accounts().findByUid("acme")).contains(updated);
        assertThat(store.accounts().update(acme.accountId(), "Acme", Optional.of("taken"), Map.of())).isEmpty();
        assertThat(store.accounts().update(other.id(), "Other", Optional.of("taken"), Map.of("a", "b")))
                .as("its own uid is no conflict").isPresent();
    }
}

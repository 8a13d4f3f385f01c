package dev.herald.store.contract;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
import dev.herald.store.PublishedEvent;
import dev.herald.store.QueueDepth;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class EventContractTest extends StoreContractTest {
    private TestTenant acme;
    private Endpoint first;
    private Endpoint second;

    EventContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void endpoints() {
        acme = TestData.tenant(store, NOW);
        first = TestData.endpoint(store, acme, "https://example.com/1", NOW);
        second = TestData.endpoint(store, acme, "https://example.com/2", NOW);
    }

    @Test
    void aPayloadIsStoredAndReadBackByteForByteWhateverItsCharacters() {
        var base = TestData.event(acme, "job.completed", NOW);
        String text = "{\"id\":\"" + base.id() + "\",\"data\":{\"s\":\"é ß 😀 \u2028 \\u0000 \\\"q\\\" 中文\"}}";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        var event = new Event(base.id(), base.accountId(), base.type(), base.timestamp(), EncodedPayload.ofUtf8(utf8),
                Optional.empty(), base.publishedBy(), EventFormat.CANONICAL, Optional.empty(), List.of());

        store.events().insert(List.of(TestData.draft(event, List.of(first), NOW)));

        Event found = store.events().find(acme.accountId(), event.id()).orElseThrow();
        assertThat(found.payload()).isEqualTo(text);
        assertThat(found.body().utf8()).isEqualTo(utf8);
        var claimed = store.deliveries().claimDue(new Lease("node-a", NOW.plusSeconds(60)), NOW, 10);
        assertThat(claimed).singleElement().satisfies(c -> {
            assertThat(c.body().utf8()).isEqualTo(utf8);
            assertThat(c.payload()).isEqualTo(text);
        });
    }

    @Test
    void storesABatchOfEventsWithTheirDeliveriesInOrder() {
        // 150 events and 300 deliveries: more rows than one insert statement takes (128), so chunks meet in it
        int events = 150;
        var drafts = new ArrayList<EventDraft>();
        for (int i = 0; i < events; i++) {
            drafts.add(TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(first, second), NOW));
        }

        var published = store.events().insert(drafts);

        assertThat(published).hasSize(events);
        for (int i = 0; i < events; i++) {
            var result = published.get(i);
            var draft = drafts.get(i);
            assertThat(result.created()).isTrue();
            assertThat(result.event()).isEqualTo(draft.event());
            assertThat(result.deliveries()).extracting(Delivery::id)
                    .containsExactly(draft.deliveries().get(0).id(), draft.deliveries().get(1).id());
            assertThat(store.events().find(acme.accountId(), draft.event().id())).contains(draft.event());
            assertThat(store.events().deliveriesOf(acme.accountId(), draft.event().id()))
                    .containsExactlyElementsOf(result.deliveries());
        }
        var delivery = published.getFirst().deliveries().getFirst();
        assertThat(delivery.state()).isEqualTo(DeliveryState.PENDING);
        assertThat(delivery.attempts()).isZero();
        assertThat(delivery.eventType()).isEqualTo("job.completed");
        assertThat(delivery.nextAttemptAt()).contains(NOW);
        assertThat(store.deliveries().findByKey(delivery.key())).contains(delivery);
        assertThat(store.deliveries().find(acme.accountId(), delivery.id())).contains(delivery);
        assertThat(store.deliveries().depth(NOW)).isEqualTo(new QueueDepth(2 * events, 0, 0));
    }

    @Test
    void anEventPublishedByThePlatformWithoutAKeyIsStoredWithoutOne() {
        var e = TestData.event(acme, "job.completed", NOW);
        var unkeyed = new Event(e.id(), e.accountId(), e.type(), e.timestamp(), e.payload(), Optional.empty(),
                Optional.empty());

        store.events().insert(List.of(TestData.draft(unkeyed, List.of(), NOW)));

        assertThat(store.events().find(acme.accountId(), e.id()).orElseThrow().publishedBy()).isEmpty();
    }

    @Test
    void aRepeatedEventIdStoresNothingAndReturnsTheOriginal() {
        var original = TestData.publish(store, acme, "job.completed", NOW, first);
        var e = original.event();
        var repeat = new Event(e.id(), e.accountId(), "job.failed", NOW.plusSeconds(5), "{\"other\":true}",
                Optional.empty(), e.publishedBy());

        var result = store.events().insert(List.of(TestData.draft(repeat, List.of(first, second), NOW))).getFirst();

        assertOriginal(result, original);
        assertThat(store.deliveries().depth(NOW)).isEqualTo(new QueueDepth(1, 0, 0));
    }

    @Test
    void aRepeatedIdempotencyKeyStoresNothingAndReturnsTheOriginal() {
        var withKey = withKey(TestData.event(acme, "job.completed", NOW), "order-1");
        var original = store.events().insert(List.of(TestData.draft(withKey, List.of(first), NOW))).getFirst();
        var repeat = withKey(TestData.event(acme, "job.completed", NOW.plusSeconds(5)), "order-1");

        var result = store.events().insert(List.of(TestData.draft(repeat, List.of(first, second), NOW))).getFirst();

        assertOriginal(result, original);
        assertThat(store.events().findByIdempotencyKey(acme.accountId(), "order-1")).contains(original.event());
        assertThat(store.events().find(acme.accountId(), repeat.id())).isEmpty();
    }

    @Test
    void duplicatesInsideOneBatchAreStoredOnce() {
        var base = TestData.event(acme, "job.completed", NOW);
        var sameId = new Event(base.id(), base.accountId(), base.type(), NOW, base.payload(), Optional.empty(),
                base.publishedBy());
        var keyed = withKey(TestData.event(acme, "job.completed", NOW), "k");
        var sameKey = withKey(TestData.event(acme, "job.completed", NOW), "k");
        var drafts = List.of(
                TestData.draft(base, List.of(first), NOW),
                TestData.draft(keyed, List.of(first, second), NOW),
                TestData.draft(sameId, List.of(second), NOW),
                TestData.draft(sameKey, List.of(second), NOW));

        var results = store.events().insert(drafts);

        assertThat(results).extracting(PublishedEvent::created).containsExactly(true, true, false, false);
        assertThat(results.get(2).event()).isEqualTo(results.get(0).event());
        assertThat(results.get(2).deliveries()).isEqualTo(results.get(0).deliveries());
        assertThat(results.get(3).event()).isEqualTo(results.get(1).event());
        assertThat(results.get(3).deliveries()).hasSize(2);
        assertThat(store.events().find(acme.accountId(), sameKey.id())).isEmpty();
        assertThat(store.deliveries().depth(NOW).dueNow()).isEqualTo(3);
    }

    @Test
    void aBatchMixingNewEventsAndRepeatsCreatesOnlyTheNewOnes() {
        var original = TestData.publish(store, acme, "job.completed", NOW, first);
        var fresh = TestData.event(acme, "job.completed", NOW);

        var results = store.events().insert(List.of(
                TestData.draft(fresh, List.of(first), NOW),
                TestData.draft(original.event(), List.of(first), NOW)));

        assertThat(results.get(0).created()).isTrue();
        assertOriginal(results.get(1), original);
    }

    @Test
    void aBatchOfSeveralStatementsMixingRepeatsGivesEachNewEventItsOwnKey() {
        // 300 events, more than two insert statements take (128 rows each), every seventh a repeat of one stored
        // before, in both accounts: each new event's deliveries must hang off that event, whichever rows came back
        var globex = TestData.tenant(store, NOW);
        var globexEndpoint = TestData.endpoint(store, globex, "https://example.com/g", NOW);
        var originals = new ArrayList<PublishedEvent>();
        var drafts = new ArrayList<EventDraft>();
        for (int i = 0; i < 300; i++) {
            boolean inGlobex = i % 2 == 1;
            var tenant = inGlobex ? globex : acme;
            var endpoint = inGlobex ? globexEndpoint : first;
            if (i % 7 == 3) {
                var original = TestData.publish(store, tenant, "job.completed", NOW, endpoint);
                originals.add(original);
                drafts.add(TestData.draft(original.event(), List.of(endpoint), NOW));
            } else {
                drafts.add(TestData.draft(TestData.event(tenant, "job.completed", NOW), List.of(endpoint), NOW));
            }
        }

        var results = store.events().insert(drafts);

        var repeats = originals.iterator();
        for (int i = 0; i < drafts.size(); i++) {
            var result = results.get(i);
            var draft = drafts.get(i);
            if (i % 7 == 3) {
                assertOriginal(result, repeats.next());
                continue;
            }
            assertThat(result.created()).isTrue();
            assertThat(result.event()).isEqualTo(draft.event());
            assertThat(result.deliveries()).extracting(Delivery::id).containsExactly(draft.deliveries().get(0).id());
            assertThat(store.events().deliveriesOf(draft.event().accountId(), draft.event().id()))
                    .containsExactlyElementsOf(result.deliveries());
        }
    }

    @Test
    void aReplayedBatchOfSeveralAccountsAnswersEachRepeatWithItsOwnOriginal() {
        var globex = TestData.tenant(store, NOW);
        var globexEndpoint = TestData.endpoint(store, globex, "https://example.com/g", NOW);
        var drafts = List.of(
                TestData.draft(withKey(TestData.event(acme, "job.completed", NOW), "batch#0"), List.of(first), NOW),
                TestData.draft(withKey(TestData.event(globex, "job.completed", NOW), "batch#1"),
                        List.of(globexEndpoint), NOW),
                TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(first, second), NOW),
                TestData.draft(withKey(TestData.event(acme, "job.completed", NOW), "batch#3"), List.of(), NOW));
        var originals = store.events().insert(drafts);
        // the replay: the same idempotency keys on new event ids, and the same event id without a key
        var replay = List.of(
                TestData.draft(withKey(TestData.event(acme, "job.completed", NOW), "batch#0"), List.of(second), NOW),
                TestData.draft(withKey(TestData.event(globex, "job.completed", NOW), "batch#1"),
                        List.of(globexEndpoint), NOW),
                TestData.draft(originals.get(2).event(), List.of(first), NOW),
                TestData.draft(withKey(TestData.event(acme, "job.completed", NOW), "batch#3"), List.of(first), NOW),
                TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(second), NOW));

        var results = store.events().insert(replay);

        for (int i = 0; i < originals.size(); i++) {
            assertOriginal(results.get(i), originals.get(i));
        }
        assertThat(results.get(2).deliveries()).hasSize(2);
        assertThat(results.get(3).deliveries()).isEmpty();
        assertThat(results.get(4).created()).isTrue();
    }

    @Test
    void theSameEventIdInAnotherAccountIsNotARepeat() {
        var globex = TestData.tenant(store, NOW);
        var globexEndpoint = TestData.endpoint(store, globex, "https://example.com/g", NOW);
        var original = TestData.publish(store, acme, "job.completed", NOW, first);
        var e = original.event();
        var theirs = new Event(e.id(), globex.accountId(), e.type(), NOW, e.payload(), Optional.empty(),
                Optional.of(globex.keyId()));

        var result = store.events().insert(List.of(TestData.draft(theirs, List.of(globexEndpoint), NOW))).getFirst();

        assertThat(result.created()).isTrue();
        assertThat(store.events().find(globex.accountId(), e.id())).contains(theirs);
        assertThat(store.events().find(acme.accountId(), e.id())).contains(e);
    }

    @Test
    void deliveriesForAPausedEndpointAreHeldAndLeasedOnesKeepTheirLease() {
        var event = TestData.event(acme, "job.completed", NOW);
        var held = new DeliveryDraft(DeliveryId.generate(), first.id(), Optional.empty(), Optional.empty());
        var leased = new DeliveryDraft(DeliveryId.generate(), second.id(), Optional.of(NOW),
                Optional.of(new dev.herald.store.Lease("node-a", NOW.plusSeconds(30))));

        var result = store.events().insert(List.of(new EventDraft(event, List.of(held, leased)))).getFirst();

        assertThat(result.deliveries().getFirst().nextAttemptAt()).isEmpty();
        assertThat(store.deliveries().depth(NOW)).isEqualTo(new QueueDepth(1, 0, 1));
        assertThat(store.deliveries().claimDue(new dev.herald.store.Lease("node-b", NOW.plusSeconds(30)), NOW, 10))
                .isEmpty();
    }

    @Test
    void unknownEventsAreEmpty() {
        assertThat(store.events().find(acme.accountId(), EventId.generate())).isEmpty();
        assertThat(store.events().findByIdempotencyKey(acme.accountId(), "nope")).isEmpty();
        assertThat(store.events().deliveriesOf(acme.accountId(), EventId.generate())).isEmpty();
        assertThat(store.events().insert(List.of())).isEmpty();
    }

    private static Event withKey(Event e, String key) {
        return new Event(e.id(), e.accountId(), e.type(), e.timestamp(), e.payload(), Optional.of(key), e.publishedBy());
    }

    private static void assertOriginal(PublishedEvent result, PublishedEvent original) {
        assertThat(result.created()).isFalse();
        assertThat(result.event()).isEqualTo(original.event());
        assertThat(result.deliveries()).isEqualTo(original.deliveries());
    }
}

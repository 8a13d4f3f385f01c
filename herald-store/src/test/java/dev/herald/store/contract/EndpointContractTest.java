package dev.herald.store.contract;

import dev.herald.core.account.ApiKeyId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.EndpointChanges;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.StatusChange;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ParameterizedClass
@EnumSource(StoreKind.class)
class EndpointContractTest extends StoreContractTest {
    private TestTenant acme;
    private TestTenant globex;

    EndpointContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void tenants() {
        acme = TestData.tenant(store, NOW);
        globex = TestData.tenant(store, NOW);
    }

    @Test
    void createsAnEndpointWithItsSecretAndZeroCountersFoundByAllThreeIds() {
        var secret = SigningSecret.generate();
        var definition = new NewEndpoint(acme.accountId(), "https://example.com/hook", List.of("job.completed", "job.failed"),
                Optional.of("billing"), acme.keyId(), Optional.of(acme.keyId()), OptionalInt.of(50),
                Map.of("X-Team", "billing"), secret);

        var created = store.endpoints().create(definition, NOW);

        assertThat(created.publicId().value()).startsWith(WebhookId.PREFIX);
        assertThat(created.status()).isEqualTo(EndpointStatus.ACTIVE);
        assertThat(created.stats()).isEqualTo(EndpointStats.EMPTY);
        assertThat(created.eventTypes()).containsExactly("job.completed", "job.failed");
        assertThat(created.scopeKey()).contains(acme.keyId());
        assertThat(created.rateLimit()).hasValue(50);
        assertThat(created.headers()).containsEntry("X-Team", "billing");
        assertThat(store.endpoints().find(acme.accountId(), created.id())).contains(created);
        assertThat(store.endpoints().findByUuid(acme.accountId(), created.uuid())).contains(created);
        assertThat(store.endpoints().findByPublicId(acme.accountId(), created.publicId())).contains(created);
        assertThat(store.endpoints().findForDelivery(created.id())).contains(created);
        assertThat(store.endpoints().activeSecrets(created.id(), NOW)).singleElement()
                .satisfies(s -> assertThat(s.secret()).isEqualTo(secret));
    }

    @Test
    void anotherAccountsEndpointIsIndistinguishableFromAMissingOne() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);

        assertThat(store.endpoints().find(globex.accountId(), endpoint.id())).isEmpty();
        assertThat(store.endpoints().findByUuid(globex.accountId(), endpoint.uuid())).isEmpty();
        assertThat(store.endpoints().findByPublicId(globex.accountId(), endpoint.publicId())).isEmpty();
        assertThat(store.endpoints().list(globex.accountId(), PageRequest.first(10)).items()).isEmpty();
        assertThat(store.endpoints().candidatesForFanOut(globex.accountId())).isEmpty();
        assertThat(store.endpoints().delete(globex.accountId(), endpoint.id(), NOW)).isFalse();
        assertThat(store.endpoints().update(globex.accountId(), endpoint.id(),
                EndpointChanges.NONE.withUrl("https://evil.example/").withStatus(EndpointStatus.DISABLED), NOW))
                .isEmpty();
        assertThat(store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().status())
                .isEqualTo(EndpointStatus.ACTIVE);
        assertThat(store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().url())
                .isEqualTo("https://example.com/a");
        assertThat(store.endpoints().find(acme.accountId(), new EndpointId(999_999))).isEmpty();
        assertThat(store.endpoints().findByUuid(acme.accountId(), UUID.randomUUID())).isEmpty();
    }

    @Test
    void listsNewestFirstAndEachEndpointExactlyOnceWhileOthersAreBeingCreated() throws Exception {
        var original = new HashSet<EndpointId>();
        for (int i = 0; i < 120; i++) {
            original.add(TestData.endpoint(store, acme, "https://example.com/" + i, NOW).id());
        }
        var stop = new AtomicBoolean();
        var inserter = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 40 && !stop.get(); i++) {
                TestData.endpoint(store, acme, "https://example.com/late/" + i, NOW);
            }
        });

        var seen = new ArrayList<EndpointId>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            Page<Endpoint> page = store.endpoints().list(acme.accountId(), new PageRequest(cursor, 25));
            page.items().forEach(e -> seen.add(e.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor.isPresent());
        stop.set(true);
        inserter.get();

        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(original);
        assertThat(seen).isSortedAccordingTo((a, b) -> Long.compare(b.value(), a.value()));
        assertThat(pages).isGreaterThanOrEqualTo(5);
    }

    @Test
    void lastPageHasNoCursor() {
        for (int i = 0; i < 3; i++) {
            TestData.endpoint(store, acme, "https://example.com/" + i, NOW);
        }
        var first = store.endpoints().list(acme.accountId(), PageRequest.first(2));
        var second = store.endpoints().list(acme.accountId(), new PageRequest(first.nextCursor(), 2));
        var exact = store.endpoints().list(acme.accountId(), PageRequest.first(3));

        assertThat(first.hasMore()).isTrue();
        assertThat(second.items()).hasSize(1);
        assertThat(second.hasMore()).isFalse();
        assertThat(exact.hasMore()).isFalse();
        assertThat(exact.nextCursor()).isEmpty();
    }

    @Test
    void rejectsMalformedCursors() {
        for (String cursor : List.of("not base64 !", "YWJj", "", "LTE")) {
            assertThatThrownBy(() -> store.endpoints().list(acme.accountId(), new PageRequest(Optional.of(cursor), 10)))
                    .as(cursor).isInstanceOf(InvalidCursorException.class);
        }
    }

    @Test
    void updateWritesTheEditableFields() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW, "job.completed");
        var edited = EndpointChanges.NONE.withUrl("https://example.com/b").withEventTypes(List.of("job.failed"))
                .withDescription(Optional.of("new")).withStatus(EndpointStatus.PAUSED)
                .withRateLimit(OptionalInt.of(5)).withHeaders(Map.of("X-A", "1"));

        var updated = store.endpoints().update(acme.accountId(), endpoint.id(), edited, NOW.plusSeconds(60))
                .orElseThrow();

        assertThat(updated.url()).isEqualTo("https://example.com/b");
        assertThat(updated.eventTypes()).containsExactly("job.failed");
        assertThat(updated.description()).contains("new");
        assertThat(updated.status()).isEqualTo(EndpointStatus.PAUSED);
        assertThat(updated.rateLimit()).hasValue(5);
        assertThat(updated.headers()).isEqualTo(Map.of("X-A", "1"));
        assertThat(updated.createdAt()).isEqualTo(NOW);
        assertThat(updated.updatedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(store.endpoints().find(acme.accountId(), endpoint.id())).contains(updated);
    }

    @Test
    void setStatusChangesOnlyADifferentStatus() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);

        assertThat(store.endpoints().setStatus(endpoint.id(), EndpointStatus.ACTIVE, NOW)).isFalse();
        assertThat(store.endpoints().setStatus(endpoint.id(), EndpointStatus.DISABLED, NOW.plusSeconds(1))).isTrue();
        assertThat(store.endpoints().setStatus(new EndpointId(999_999), EndpointStatus.DISABLED, NOW)).isFalse();

        var found = store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow();
        assertThat(found.status()).isEqualTo(EndpointStatus.DISABLED);
        assertThat(found.updatedAt()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void changeStatusOnlyFromTheAllowedStatuses() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        var automatic = EnumSet.of(EndpointStatus.ACTIVE, EndpointStatus.FAILING);

        assertThat(store.endpoints().changeStatus(endpoint.id(), automatic, EndpointStatus.FAILING, NOW))
                .contains(new StatusChange(EndpointStatus.ACTIVE, EndpointStatus.FAILING, 0));
        store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, NOW);
        assertThat(store.endpoints().changeStatus(endpoint.id(), automatic, EndpointStatus.DISABLED, NOW)).isEmpty();
        assertThat(store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().status())
                .isEqualTo(EndpointStatus.PAUSED);
        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.PAUSED),
                EndpointStatus.ACTIVE, NOW)).isPresent();
        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.noneOf(EndpointStatus.class),
                EndpointStatus.DISABLED, NOW)).isEmpty();
    }

    @Test
    void aStatusChangeHoldsReleasesOrCancelsPendingDeliveriesInTheSameStep() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        TestData.publish(store, acme, "job.completed", NOW, endpoint);
        TestData.publish(store, acme, "job.completed", NOW, endpoint);

        assertThat(store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, NOW)).isTrue();
        assertThat(store.deliveries().depth(NOW.plusSeconds(1)).held()).isEqualTo(2);
        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.PAUSED),
                EndpointStatus.ACTIVE, NOW)).contains(new StatusChange(EndpointStatus.PAUSED, EndpointStatus.ACTIVE, 2));
        assertThat(store.deliveries().depth(NOW.plusSeconds(1)).held()).isZero();
        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.ACTIVE),
                EndpointStatus.DISABLED, NOW)).contains(new StatusChange(EndpointStatus.ACTIVE, EndpointStatus.DISABLED, 2));
        assertThat(store.deliveries().depth(NOW.plusSeconds(1)).dueNow()).isZero();
    }

    /**
     * The lost update of issue 21: a user's change of the description, made from a copy read before the engine
     * disabled the endpoint, must not bring the endpoint back to life nor its cancelled deliveries.
     */
    @Test
    void aChangeOfOtherFieldsNeverUndoesAConcurrentStatusChange() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        TestData.publish(store, acme, "job.completed", NOW, endpoint);
        var readByTheUser = store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow();

        store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.ACTIVE, EndpointStatus.FAILING),
                EndpointStatus.DISABLED, NOW.plusSeconds(1));
        var updated = store.endpoints().update(acme.accountId(), readByTheUser.id(),
                EndpointChanges.NONE.withDescription(Optional.of("renamed")), NOW.plusSeconds(2)).orElseThrow();

        assertThat(readByTheUser.status()).isEqualTo(EndpointStatus.ACTIVE);
        assertThat(updated.status()).isEqualTo(EndpointStatus.DISABLED);
        assertThat(updated.description()).contains("renamed");
        assertThat(store.deliveries().depth(NOW.plusSeconds(3)).dueNow()).isZero();
    }

    /** The same race with real threads: many description changes while the engine disables the endpoint. */
    @Test
    void concurrentFieldChangesAndAnAutomaticDisableEndDisabled() throws Exception {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        TestData.publish(store, acme, "job.completed", NOW, endpoint);
        var start = new java.util.concurrent.CountDownLatch(1);
        try (var threads = java.util.concurrent.Executors.newFixedThreadPool(3)) {
            var edits = new ArrayList<java.util.concurrent.Future<?>>();
            for (int writer = 0; writer < 2; writer++) {
                int w = writer;
                edits.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 25; i++) {
                        store.endpoints().update(acme.accountId(), endpoint.id(),
                                EndpointChanges.NONE.withDescription(Optional.of("edit " + w + "/" + i)), NOW);
                    }
                    return null;
                }));
            }
            var disable = threads.submit(() -> {
                start.await();
                return store.endpoints().changeStatus(endpoint.id(),
                        EnumSet.of(EndpointStatus.ACTIVE, EndpointStatus.FAILING), EndpointStatus.DISABLED, NOW);
            });
            start.countDown();
            for (var edit : edits) {
                edit.get();
            }
            assertThat(disable.get()).isPresent();
        }
        assertThat(store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow().status())
                .isEqualTo(EndpointStatus.DISABLED);
        assertThat(store.deliveries().depth(NOW.plusSeconds(1)).dueNow()).isZero();
    }

    @Test
    void fanOutCandidatesAreTheAccountsEndpointsThatAreNotDisabledOrDeleted() {
        var active = TestData.endpoint(store, acme, "https://example.com/active", NOW);
        var paused = TestData.endpoint(store, acme, "https://example.com/paused", NOW);
        var disabled = TestData.endpoint(store, acme, "https://example.com/disabled", NOW);
        var deleted = TestData.endpoint(store, acme, "https://example.com/deleted", NOW);
        TestData.endpoint(store, globex, "https://example.com/other", NOW);
        store.endpoints().setStatus(paused.id(), EndpointStatus.PAUSED, NOW);
        store.endpoints().setStatus(disabled.id(), EndpointStatus.DISABLED, NOW);
        store.endpoints().delete(acme.accountId(), deleted.id(), NOW);

        assertThat(store.endpoints().candidatesForFanOut(acme.accountId()))
                .extracting(Endpoint::id).containsExactlyInAnyOrder(active.id(), paused.id());
    }

    @Test
    void deletedEndpointIsInvisibleEverywhereAndItsPendingDeliveriesAreCancelled() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        var other = TestData.endpoint(store, acme, "https://example.com/b", NOW);
        var published = TestData.publish(store, acme, "job.completed", NOW, endpoint, other);

        assertThat(store.endpoints().delete(acme.accountId(), endpoint.id(), NOW.plusSeconds(1))).isTrue();
        assertThat(store.endpoints().delete(acme.accountId(), endpoint.id(), NOW.plusSeconds(2))).isFalse();

        assertThat(store.endpoints().find(acme.accountId(), endpoint.id())).isEmpty();
        assertThat(store.endpoints().findByUuid(acme.accountId(), endpoint.uuid())).isEmpty();
        assertThat(store.endpoints().findByPublicId(acme.accountId(), endpoint.publicId())).isEmpty();
        assertThat(store.endpoints().findForDelivery(endpoint.id())).isEmpty();
        assertThat(store.endpoints().list(acme.accountId(), PageRequest.first(10)).items())
                .extracting(Endpoint::id).containsExactly(other.id());
        assertThat(store.endpoints().activeSecrets(endpoint.id(), NOW)).isEmpty();
        assertThat(store.endpoints().update(acme.accountId(), endpoint.id(),
                EndpointChanges.NONE.withUrl("https://example.com/c"), NOW)).isEmpty();
        assertThat(store.endpoints().setStatus(endpoint.id(), EndpointStatus.PAUSED, NOW)).isFalse();
        assertThat(store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.ACTIVE),
                EndpointStatus.FAILING, NOW)).isEmpty();

        var states = store.events().deliveriesOf(acme.accountId(), published.event().id()).stream()
                .collect(java.util.stream.Collectors.toMap(d -> d.endpointId(), d -> d.state()));
        assertThat(states).containsEntry(endpoint.id(), DeliveryState.CANCELLED)
                .containsEntry(other.id(), DeliveryState.PENDING);
    }

    @Test
    void storesTheCreatingKeyApartFromAnExplicitScopeKey() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);

        var found = store.endpoints().find(acme.accountId(), endpoint.id()).orElseThrow();
        assertThat(found.createdBy()).isEqualTo(acme.keyId());
        assertThat(found.scopeKey()).isEmpty();
        assertThat(found.subscribesTo("anything", Optional.of(new ApiKeyId(424242)))).isTrue();
        assertThat(found.subscribesTo("anything", Optional.empty())).isTrue();
    }
}

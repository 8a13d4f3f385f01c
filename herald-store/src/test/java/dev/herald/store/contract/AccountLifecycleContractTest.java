package dev.herald.store.contract;

import dev.herald.core.account.AccountStatus;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.event.EventType;
import dev.herald.store.AttemptRecord;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.IdempotencyRecord;
import dev.herald.store.Lease;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class AccountLifecycleContractTest extends StoreContractTest {
    private static final List<String> TABLES = List.of("accounts", "api_keys", "event_types", "endpoints",
            "endpoint_secrets", "endpoint_stats", "events", "deliveries", "attempts", "idempotency_records");
    private static final Lease LEASE = new Lease("node-a", NOW.plus(Duration.ofMinutes(5)));

    private TestTenant acme;

    AccountLifecycleContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void tenant() {
        acme = TestData.tenant(store, NOW);
    }

    @Test
    void aDisabledAccountsKeysAreRefusedAndItsEndpointsGetNothingUntilEnabled() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);

        assertThat(store.accounts().setStatus(acme.accountId(), AccountStatus.DISABLED)).isTrue();
        assertThat(store.accounts().setStatus(acme.accountId(), AccountStatus.DISABLED)).isFalse();

        assertThat(store.accounts().find(acme.accountId())).hasValueSatisfying(
                a -> assertThat(a.status()).isEqualTo(AccountStatus.DISABLED));
        assertThat(store.apiKeys().findActiveByHash(acme.token().hash())).isEmpty();
        assertThat(store.endpoints().findForDelivery(endpoint.id())).isEmpty();
        assertThat(store.endpoints().candidatesForFanOut(acme.accountId())).isEmpty();

        assertThat(store.accounts().setStatus(acme.accountId(), AccountStatus.ACTIVE)).isTrue();

        assertThat(store.apiKeys().findActiveByHash(acme.token().hash())).isPresent();
        assertThat(store.endpoints().findForDelivery(endpoint.id())).isPresent();
        assertThat(store.endpoints().candidatesForFanOut(acme.accountId())).hasSize(1);
    }

    @Test
    void holdingAnAccountHoldsAllItsPendingDeliveriesAndReleasingItOnlyThoseOfReceivingEndpoints() {
        var active = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        var paused = TestData.endpoint(store, acme, "https://example.com/p", NOW);
        var globex = TestData.tenant(store, NOW);
        var other = TestData.endpoint(store, globex, "https://example.com/o", NOW);
        var ours = TestData.publish(store, acme, "job.completed", NOW, active, paused);
        var theirs = TestData.publish(store, globex, "job.completed", NOW, other);
        store.endpoints().setStatus(paused.id(), EndpointStatus.PAUSED, NOW);
        // Pausing held the paused endpoint's delivery already (Endpoints#changeStatus): one is left to hold.

        assertThat(store.deliveries().holdAccount(acme.accountId(), NOW)).isEqualTo(1);
        assertThat(claimedKeys()).containsExactly(theirs.deliveries().getFirst().key());

        assertThat(store.deliveries().releaseAccount(acme.accountId(), NOW)).isEqualTo(1);
        assertThat(claimedKeys()).containsExactly(ours.deliveries().stream()
                .filter(d -> d.endpointId().equals(active.id())).findFirst().orElseThrow().key());
    }

    @Test
    void aDeletedAccountIsInvisibleAndStaysDeleted() {
        assertThat(store.accounts().setStatus(acme.accountId(), AccountStatus.DELETED)).isTrue();

        assertThat(store.accounts().find(acme.accountId())).isEmpty();
        assertThat(store.accounts().findByUuid(acme.account().uuid())).isEmpty();
        assertThat(store.accounts().list()).isEmpty();
        assertThat(store.accounts().findInAnyStatus(acme.accountId())).hasValueSatisfying(
                a -> assertThat(a.status()).isEqualTo(AccountStatus.DELETED));
        assertThat(store.apiKeys().findActiveByHash(acme.token().hash())).isEmpty();
        assertThat(store.accounts().setStatus(acme.accountId(), AccountStatus.ACTIVE)).isFalse();
    }

    @Test
    void purgingADeletedAccountRemovesEveryOneOfItsRowsAndNoOtherAccounts() {
        fill(acme);
        Map<String, String> before = tables();
        var doomed = TestData.tenant(store, NOW);
        fill(doomed);
        store.accounts().setStatus(doomed.accountId(), AccountStatus.DELETED);

        int total = purgeAll(doomed, NOW, 3);

        assertThat(total).as("rows purged").isGreaterThan(10);
        assertThat(tables()).isEqualTo(before);
        assertThat(store.accounts().findInAnyStatus(doomed.accountId())).isEmpty();
    }

    @Test
    void aDeliveryWithALiveLeaseKeepsItsRowsUntilTheLeaseEnds() {
        var endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
        var published = TestData.publish(store, acme, "job.completed", NOW, endpoint);
        assertThat(store.deliveries().claimDue(LEASE, NOW, 10)).hasSize(1);
        store.accounts().setStatus(acme.accountId(), AccountStatus.DELETED);

        purgeAll(NOW, 100);

        assertThat(store.accounts().findInAnyStatus(acme.accountId())).isPresent();
        assertThat(store.accounts().deleted()).containsExactly(acme.accountId());
        assertThat(store.deliveries().findByKey(published.deliveries().getFirst().key())).isPresent();
        // The attempt that was in flight can still be recorded.
        store.deliveries().recordAttempts(List.of(attempt(published.deliveries().getFirst().key(), endpoint.id())));

        purgeAll(NOW.plus(Duration.ofMinutes(1)), 100);

        assertThat(store.accounts().findInAnyStatus(acme.accountId())).isEmpty();
        assertThat(store.accounts().deleted()).isEmpty();
        assertThat(store.deliveries().findByKey(published.deliveries().getFirst().key())).isEmpty();
    }

    @Test
    void anAccountThatIsNotDeletedIsNeverPurged() {
        TestData.endpoint(store, acme, "https://example.com/a", NOW);
        store.accounts().setStatus(acme.accountId(), AccountStatus.DISABLED);

        assertThat(store.accounts().purge(acme.accountId(), NOW, 100)).isZero();
        assertThat(store.accounts().find(acme.accountId())).isPresent();
        assertThat(store.endpoints().list(acme.accountId(), dev.herald.store.PageRequest.first(10)).items()).hasSize(1);
    }

    /** One row of every kind for the tenant: a second key, an event type, endpoints, events, deliveries, attempts. */
    private void fill(TestTenant tenant) {
        var secondKey = dev.herald.core.account.ApiKeyToken.generate();
        store.apiKeys().create(tenant.accountId(), "second", secondKey.hash(), secondKey.hint(), NOW);
        store.eventTypes().put(tenant.accountId(), new EventType("order.created", "Orders", Optional.empty()), NOW);
        store.idempotency().putIfAbsent(tenant.accountId(), "canonical", "key-1",
                new IdempotencyRecord("hash", 201, "{}", NOW));
        var a = TestData.endpoint(store, tenant, "https://example.com/a", NOW);
        var b = TestData.endpoint(store, tenant, "https://example.com/b", NOW);
        store.endpoints().rotateSecret(a.id(), dev.herald.core.signing.SigningSecret.generate(), Duration.ofHours(1), NOW);
        for (int i = 0; i < 3; i++) {
            var published = TestData.publish(store, tenant, "job.completed", NOW, a, b);
            store.deliveries().recordAttempts(List.of(attempt(published.deliveries().getFirst().key(), a.id())));
        }
        TestData.publish(store, tenant, "job.completed", NOW);
        store.endpoints().delete(tenant.accountId(), b.id(), NOW);
    }

    private static AttemptRecord attempt(long deliveryKey, dev.herald.core.endpoint.EndpointId endpoint) {
        return new AttemptRecord(deliveryKey, endpoint, 1, NOW.plusSeconds(1), 10, OptionalInt.of(200), "ok",
                Optional.empty(), Optional.empty(), DeliveryState.DELIVERED, Optional.empty());
    }

    private int purgeAll(Instant now, int limit) {
        return purgeAll(acme, now, limit);
    }

    private int purgeAll(TestTenant tenant, Instant now, int limit) {
        int total = 0;
        for (int n = store.accounts().purge(tenant.accountId(), now, limit); n > 0;
             n = store.accounts().purge(tenant.accountId(), now, limit)) {
            assertThat(n).isLessThanOrEqualTo(limit);
            total += n;
        }
        return total;
    }

    private List<Long> claimedKeys() {
        return store.deliveries().claimDue(new Lease("node-b", NOW.plusSeconds(60)), NOW.plusSeconds(1), 10).stream()
                .map(ClaimedDelivery::delivery).map(d -> d.key()).toList();
    }

    private Map<String, String> tables() {
        var texts = new LinkedHashMap<String, String>();
        TABLES.forEach(t -> texts.put(t, TestStores.tableText(store, dir, t)));
        return texts;
    }
}

package dev.herald.store.contract;

import dev.herald.store.IdempotencyRecord;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class IdempotencyContractTest extends StoreContractTest {
    IdempotencyContractTest(StoreKind kind) {
        super(kind);
    }

    @Test
    void keepsTheFirstResponseForAKey() {
        var acme = store.accounts().create("Acme", NOW);
        var first = new IdempotencyRecord("hash-1", 202, "{\"id\":\"evt_1\"}", NOW);
        var second = new IdempotencyRecord("hash-2", 400, "{}", NOW.plusSeconds(1));

        assertThat(store.idempotency().putIfAbsent(acme.id(), "POST /v1/events", "k1", first)).isEqualTo(first);
        assertThat(store.idempotency().putIfAbsent(acme.id(), "POST /v1/events", "k1", second)).isEqualTo(first);
        assertThat(store.idempotency().putIfAbsent(acme.id(), "POST /v1/webhooks", "k1", second)).isEqualTo(second);

        assertThat(store.idempotency().find(acme.id(), "POST /v1/events", "k1", NOW)).contains(first);
        assertThat(store.idempotency().find(acme.id(), "POST /v1/events", "k1", NOW.plusMillis(1))).isEmpty();
        assertThat(store.idempotency().find(acme.id(), "POST /v1/events", "k2", NOW)).isEmpty();
    }

    @Test
    void keysAreScopedToTheirAccount() {
        var acme = store.accounts().create("Acme", NOW);
        var globex = store.accounts().create("Globex", NOW);
        var record = new IdempotencyRecord("hash", 202, "{}", NOW);
        store.idempotency().putIfAbsent(acme.id(), "POST /v1/events", "k1", record);

        assertThat(store.idempotency().find(globex.id(), "POST /v1/events", "k1", NOW.minusSeconds(60))).isEmpty();
    }

    @Test
    void purgesRecordsOlderThanTheCutoff() {
        var acme = store.accounts().create("Acme", NOW);
        store.idempotency().putIfAbsent(acme.id(), "s", "old", new IdempotencyRecord("h", 200, "{}", NOW));
        store.idempotency().putIfAbsent(acme.id(), "s", "new", new IdempotencyRecord("h", 200, "{}", NOW.plusSeconds(60)));

        assertThat(store.idempotency().purgeOlderThan(NOW.plusSeconds(30))).isEqualTo(1);
        assertThat(store.idempotency().find(acme.id(), "s", "old", NOW.minusSeconds(1))).isEmpty();
        assertThat(store.idempotency().find(acme.id(), "s", "new", NOW.minusSeconds(1))).isPresent();
    }
}

package dev.herald.store.contract;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class AccountContractTest extends StoreContractTest {
    AccountContractTest(StoreKind kind) {
        super(kind);
    }

    @Test
    void createsAccountsWithRandomUuidsFoundByIdAndUuid() {
        var first = store.accounts().create("Acme", NOW);
        var second = store.accounts().create("Globex", NOW.plusSeconds(1));

        assertThat(first.uuid()).isNotEqualTo(second.uuid());
        assertThat(store.accounts().find(first.id())).contains(first);
        assertThat(store.accounts().findByUuid(second.uuid())).contains(second);
        assertThat(store.accounts().findByUuid(UUID.randomUUID())).isEmpty();
        assertThat(store.accounts().find(new AccountId(9_999))).isEmpty();
        assertThat(store.accounts().list()).containsExactly(first, second);
    }

    @Test
    void anAccountMayCarryTheCallersOwnUniqueUidAndMetadata() {
        var acme = store.accounts().create("Acme", Optional.of("cust_42"), Map.of("plan", "pro"), NOW).orElseThrow();
        store.accounts().create("Plain", NOW);

        assertThat(acme.uid()).contains("cust_42");
        assertThat(store.accounts().findByUid("cust_42")).contains(acme);
        assertThat(store.accounts().find(acme.id()).orElseThrow().metadata()).containsEntry("plan", "pro");
        assertThat(store.accounts().findByUid("cust_43")).isEmpty();
        assertThat(store.accounts().create("Copycat", Optional.of("cust_42"), Map.of(), NOW)).isEmpty();

        store.accounts().setStatus(acme.id(), dev.herald.core.account.AccountStatus.DELETED);
        assertThat(store.accounts().findByUid("cust_42")).isEmpty();
        assertThat(store.accounts().create("Too soon", Optional.of("cust_42"), Map.of(), NOW))
                .as("the uid stays taken until the deleted account is purged").isEmpty();
    }

    @Test
    void findsAnActiveKeyByTheHashOfItsToken() {
        var acme = store.accounts().create("Acme", NOW);
        var globex = store.accounts().create("Globex", NOW);
        var token = ApiKeyToken.generate();
        var key = store.apiKeys().create(acme.id(), "ci", token.hash(), token.hint(), NOW);
        var other = ApiKeyToken.generate();
        store.apiKeys().create(globex.id(), "other", other.hash(), other.hint(), NOW);

        assertThat(store.apiKeys().findActiveByHash(token.hash())).contains(key);
        assertThat(store.apiKeys().find(key.id())).contains(key);
        assertThat(store.apiKeys().list(acme.id())).containsExactly(key);
        assertThat(store.apiKeys().findActiveByHash(ApiKeyToken.generate().hash())).isEmpty();
    }

    @Test
    void revokedKeyIsNoLongerFoundByHash() {
        var acme = store.accounts().create("Acme", NOW);
        var token = ApiKeyToken.generate();
        var key = store.apiKeys().create(acme.id(), "ci", token.hash(), token.hint(), NOW);

        assertThat(store.apiKeys().revoke(key.id(), NOW.plusSeconds(5))).isTrue();
        assertThat(store.apiKeys().revoke(key.id(), NOW.plusSeconds(6))).isFalse();
        assertThat(store.apiKeys().revoke(new ApiKeyId(9_999), NOW)).isFalse();

        assertThat(store.apiKeys().findActiveByHash(token.hash())).isEmpty();
        assertThat(store.apiKeys().find(key.id()).orElseThrow().revokedAt()).contains(NOW.plusSeconds(5));
        assertThat(store.apiKeys().list(acme.id())).hasSize(1);
    }

    @Test
    void storesOnlyTheHashOfAToken() {
        var acme = store.accounts().create("Acme", NOW);
        var token = ApiKeyToken.generate();
        store.apiKeys().create(acme.id(), "ci", token.hash(), token.hint(), NOW);

        String table = TestStores.tableText(store, dir, "api_keys");
        assertThat(table).contains(token.hash());
        assertThat(table).doesNotContain(token.value());
        assertThat(table).doesNotContain(token.value().substring(ApiKeyToken.PREFIX.length()));
    }
}

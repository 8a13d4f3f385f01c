package dev.herald.store.contract;

import dev.herald.core.platform.PlatformKeyId;
import dev.herald.core.platform.PlatformKeyToken;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class PlatformKeyContractTest extends StoreContractTest {
    PlatformKeyContractTest(StoreKind kind) {
        super(kind);
    }

    @Test
    void findsAnActivePlatformKeyByTheHashOfItsTokenUntilItIsRevoked() {
        var token = PlatformKeyToken.generate();
        var key = store.platformKeys().create("backend", token.hash(), token.hint(), NOW);
        var other = PlatformKeyToken.generate();
        store.platformKeys().create("ops", other.hash(), other.hint(), NOW.plusSeconds(1));

        assertThat(store.platformKeys().findActiveByHash(token.hash())).contains(key);
        assertThat(store.platformKeys().findActiveByHash(PlatformKeyToken.generate().hash())).isEmpty();
        assertThat(store.platformKeys().list()).extracting(k -> k.name()).containsExactly("backend", "ops");

        assertThat(store.platformKeys().revoke(key.id(), NOW.plusSeconds(5))).isTrue();
        assertThat(store.platformKeys().revoke(key.id(), NOW.plusSeconds(6))).isFalse();
        assertThat(store.platformKeys().revoke(new PlatformKeyId(9_999), NOW)).isFalse();
        assertThat(store.platformKeys().findActiveByHash(token.hash())).isEmpty();
        assertThat(store.platformKeys().find(key.id()).orElseThrow().revokedAt()).contains(NOW.plusSeconds(5));
    }

    @Test
    void storesOnlyTheHashAndTheHint() {
        var token = PlatformKeyToken.generate();
        var key = store.platformKeys().create("backend", token.hash(), token.hint(), NOW);

        assertThat(key.hint()).isEqualTo(token.value().substring(token.value().length() - 4));
        assertThat(key.toString()).doesNotContain(token.value());
        assertThat(token.toString()).doesNotContain(token.value());
    }
}

package dev.herald.api.http;

import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.Caller;
import dev.herald.core.error.HeraldException;
import dev.herald.service.account.AccountService;
import dev.herald.store.ApiKeys;
import dev.herald.store.Store;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticatorTest {
    private static final Duration CACHE_TIME = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private Store store;
    private CountingKeys keys;
    private Authenticator authenticator;
    private AccountService admin;
    private AccountService otherProcess;
    private String token;
    private ApiKeyId keyId;

    @BeforeEach
    void setUp() {
        store = TestStores.sqlite(dir);
        keys = new CountingKeys(store.apiKeys());
        authenticator = Authenticator.create(keys, store.platformKeys(), Optional.empty(), CACHE_TIME, nanos::get);
        admin = new AccountService(store, Clock.systemUTC(), authenticator::apiKeyRevoked);
        otherProcess = new AccountService(store, Clock.systemUTC());
        var account = admin.createAccount("acme");
        var issued = admin.issueKey(account.id(), "main");
        token = issued.token().value();
        keyId = issued.key().id();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void aKeyIsLookedUpOncePerCacheTime() {
        for (int i = 0; i < 100; i++) {
            assertThat(authenticate(token).key()).isEqualTo(keyId);
        }
        assertThat(keys.lookups.get()).isEqualTo(1);

        nanos.addAndGet(CACHE_TIME.toNanos());
        authenticate(token);
        assertThat(keys.lookups.get()).isEqualTo(2);
    }

    @Test
    void aKeyRevokedOnThisNodeStopsWorkingAtOnce() {
        authenticate(token);
        admin.revokeKey(keyId);
        assertThatThrownBy(() -> authenticate(token)).isInstanceOf(HeraldException.class)
                .hasMessageContaining("Invalid API key");
    }

    @Test
    void aKeyRevokedElsewhereStopsWorkingWithinTheCacheTime() {
        authenticate(token);
        otherProcess.revokeKey(keyId);
        assertThat(authenticate(token).key()).isEqualTo(keyId);

        nanos.addAndGet(CACHE_TIME.toNanos());
        assertThatThrownBy(() -> authenticate(token)).isInstanceOf(HeraldException.class);
    }

    @Test
    void unknownKeysAreNeverRememberedSoANewKeyWorksAtOnce() {
        String unknown = "sk_live_" + "0".repeat(64);
        assertThatThrownBy(() -> authenticate(unknown)).isInstanceOf(HeraldException.class);
        assertThatThrownBy(() -> authenticate(unknown)).isInstanceOf(HeraldException.class);
        assertThat(keys.lookups.get()).isEqualTo(2);

        var second = admin.issueKey(admin.accounts().getFirst().id(), "second");
        assertThat(authenticate(second.token().value()).key()).isEqualTo(second.key().id());
    }

    @Test
    void aZeroCacheTimeLooksEveryRequestUp() {
        var uncached = Authenticator.create(keys, store.platformKeys(), Optional.empty(), Duration.ZERO, nanos::get);
        uncached.authenticate(Optional.of(token));
        uncached.authenticate(Optional.of(token));
        assertThat(keys.lookups.get()).isEqualTo(2);
    }

    private Caller authenticate(String presented) {
        return authenticator.authenticate(Optional.of(presented));
    }

    /** The store's keys, counting hash lookups. */
    private static final class CountingKeys implements ApiKeys {
        private final ApiKeys delegate;
        final AtomicInteger lookups = new AtomicInteger();

        CountingKeys(ApiKeys delegate) {
            this.delegate = delegate;
        }

        @Override
        public ApiKey create(dev.herald.core.account.AccountId account, String name, String tokenHash, String hint,
                             Instant now) {
            return delegate.create(account, name, tokenHash, hint, now);
        }

        @Override
        public Optional<ApiKey> findActiveByHash(String tokenHash) {
            lookups.incrementAndGet();
            return delegate.findActiveByHash(tokenHash);
        }

        @Override
        public Optional<ApiKey> find(ApiKeyId id) {
            return delegate.find(id);
        }

        @Override
        public List<ApiKey> list(dev.herald.core.account.AccountId account) {
            return delegate.list(account);
        }

        @Override
        public boolean revoke(ApiKeyId id, Instant now) {
            return delegate.revoke(id, now);
        }
    }
}

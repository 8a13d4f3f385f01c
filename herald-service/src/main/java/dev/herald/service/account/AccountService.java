package dev.herald.service.account;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.store.Store;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/** Creates accounts and issues and revokes API keys; used by both the CLI and the admin API. */
public final class AccountService {
    private final Store store;
    private final Clock clock;
    private final Consumer<ApiKeyId> revoked;

    public AccountService(Store store, Clock clock) {
        this(store, clock, id -> { });
    }

    /** {@code revoked} hears of every key revoked here (the server's authenticator forgets it at once). */
    public AccountService(Store store, Clock clock, Consumer<ApiKeyId> revoked) {
        this.store = store;
        this.clock = clock;
        this.revoked = revoked;
    }

    /** A freshly issued key: the plaintext token exists only here and is shown once. */
    public record IssuedKey(ApiKey key, ApiKeyToken token) {
    }

    public Account createAccount(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name", "account name must be 1-200 characters");
        }
        return store.accounts().create(name.strip(), clock.instant());
    }

    public List<Account> accounts() {
        return store.accounts().list();
    }

    public Account account(AccountId id) {
        return store.accounts().find(id)
                .orElseThrow(() -> HeraldException.of(ErrorCode.NOT_FOUND, "account " + id + " not found"));
    }

    public IssuedKey issueKey(AccountId accountId, String name) {
        account(accountId);
        String keyName = name == null || name.isBlank() ? "default" : name.strip();
        if (keyName.length() > 200) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name", "key name must be at most 200 characters");
        }
        ApiKeyToken token = ApiKeyToken.generate();
        ApiKey key = store.apiKeys().create(accountId, keyName, token.hash(), token.hint(), clock.instant());
        return new IssuedKey(key, token);
    }

    public List<ApiKey> keys(AccountId accountId) {
        account(accountId);
        return store.apiKeys().list(accountId);
    }

    public ApiKey revokeKey(ApiKeyId id) {
        ApiKey key = store.apiKeys().find(id)
                .orElseThrow(() -> HeraldException.of(ErrorCode.NOT_FOUND, "API key " + id + " not found"));
        store.apiKeys().revoke(id, clock.instant());
        revoked.accept(id);
        return store.apiKeys().find(id).orElse(key);
    }
}

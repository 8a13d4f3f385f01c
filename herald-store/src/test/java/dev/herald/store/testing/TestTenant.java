package dev.herald.store.testing;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;

/** An account with one API key, and the key's plaintext token for authenticating test requests. */
public record TestTenant(Account account, ApiKey key, ApiKeyToken token) {
    public AccountId accountId() {
        return account.id();
    }

    public ApiKeyId keyId() {
        return key.id();
    }
}

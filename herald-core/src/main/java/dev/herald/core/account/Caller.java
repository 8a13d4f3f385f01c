package dev.herald.core.account;

import java.util.Objects;

/** Who asks: the account an API key belongs to and the key's id. Every service call is made on its behalf. */
public record Caller(AccountId account, ApiKeyId key) {
    public Caller {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(key, "key");
    }
}

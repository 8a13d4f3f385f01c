package dev.herald.store;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys, stored by the SHA-256 hash of their token only. */
public interface ApiKeys {
    ApiKey create(AccountId account, String name, String tokenHash, String hint, Instant now);

    /** The key whose token hashes to {@code tokenHash}, only when it is not revoked. */
    Optional<ApiKey> findActiveByHash(String tokenHash);

    Optional<ApiKey> find(ApiKeyId id);

    List<ApiKey> list(AccountId account);

    /** Marks the key revoked; false when it does not exist or was already revoked. */
    boolean revoke(ApiKeyId id, Instant now);
}

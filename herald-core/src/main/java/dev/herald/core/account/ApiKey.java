package dev.herald.core.account;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API key. Only the SHA-256 hash of the token is kept; {@code hint} is the last four characters,
 * enough for a person to tell keys apart and useless to an attacker.
 */
public record ApiKey(ApiKeyId id, AccountId accountId, String name, String hint, Instant createdAt,
                     Optional<Instant> revokedAt) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }
}

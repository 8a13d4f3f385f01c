package dev.herald.core.account;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A tenant: every endpoint, event and key belongs to exactly one account. */
public record Account(AccountId id, UUID uuid, String name, Instant createdAt) {
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(createdAt, "createdAt");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("account name must be 1-200 characters");
        }
    }
}

package dev.herald.core.account;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A tenant: every endpoint, event and key belongs to exactly one account. */
public record Account(AccountId id, UUID uuid, String name, Instant createdAt, AccountStatus status) {
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("account name must be 1-200 characters");
        }
    }

    /** A new, active account. */
    public Account(AccountId id, UUID uuid, String name, Instant createdAt) {
        this(id, uuid, name, createdAt, AccountStatus.ACTIVE);
    }

    public Account withStatus(AccountStatus newStatus) {
        return new Account(id, uuid, name, createdAt, newStatus);
    }
}

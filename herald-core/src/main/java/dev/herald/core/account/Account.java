package dev.herald.core.account;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A tenant: every endpoint, event and key belongs to exactly one account.
 *
 * @param uid      the platform's own id for this customer, unique when given (a Svix application's {@code uid})
 * @param metadata the platform's own labels for this customer, returned as given
 */
public record Account(AccountId id, UUID uuid, String name, Instant createdAt, AccountStatus status,
                      Optional<String> uid, Map<String, String> metadata) {
    /** What a platform's customer id may look like. */
    public static final Pattern UID = Pattern.compile("[A-Za-z0-9._-]{1,256}");

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("account name must be 1-200 characters");
        }
        if (uid.isPresent() && !UID.matcher(uid.get()).matches()) {
            throw new IllegalArgumentException("account uid must be 1-256 of A-Z a-z 0-9 . _ -");
        }
        metadata = Map.copyOf(metadata);
    }

    /** An account without a uid or metadata. */
    public Account(AccountId id, UUID uuid, String name, Instant createdAt, AccountStatus status) {
        this(id, uuid, name, createdAt, status, Optional.empty(), Map.of());
    }

    /** A new, active account. */
    public Account(AccountId id, UUID uuid, String name, Instant createdAt) {
        this(id, uuid, name, createdAt, AccountStatus.ACTIVE);
    }

    public Account withStatus(AccountStatus newStatus) {
        return new Account(id, uuid, name, createdAt, newStatus, uid, metadata);
    }
}

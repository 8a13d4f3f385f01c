package dev.herald.store;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.AccountStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Tenants. Deleted accounts are invisible to every lookup except {@link #findInAnyStatus}. */
public interface Accounts {
    /**
     * Creates an active account; empty when {@code uid} already names another account (a deleted one included,
     * until its purge ends).
     */
    Optional<Account> create(String name, Optional<String> uid, Map<String, String> metadata, Instant now);

    /** An account without a uid or metadata. */
    default Account create(String name, Instant now) {
        return create(name, Optional.empty(), Map.of(), now).orElseThrow();
    }

    Optional<Account> find(AccountId id);

    /**
     * Replaces the name, uid and metadata of a live account; empty when {@code uid} already names another account.
     * Throws {@link StoreException} when the account is gone.
     */
    Optional<Account> update(AccountId id, String name, Optional<String> uid, Map<String, String> metadata);

    Optional<Account> findByUuid(UUID uuid);

    /** The account the platform calls {@code uid}. */
    Optional<Account> findByUid(String uid);

    /** The account whatever its status, deleted included (a delete whose purge is not finished yet). */
    Optional<Account> findInAnyStatus(AccountId id);

    List<Account> list();

    /** Accounts deleted whose purge is not finished yet (rows kept by deliveries in flight), oldest first. */
    List<AccountId> deleted();

    /**
     * Sets the status unless it already is {@code status} or the account is deleted (deletion is final); true
     * when a row changed.
     */
    boolean setStatus(AccountId id, AccountStatus status);

    /**
     * Purges a deleted account, one bounded batch in one transaction: deletes up to {@code limit} of its rows,
     * children first (attempts, deliveries, events, idempotency records, endpoint secrets, counters and endpoints,
     * event types, keys) and, once none is left, the account row itself. Deliveries whose lease is still live at
     * {@code now} (an attempt may be in flight and about to be recorded) stay, with what they refer to, until a
     * later call. Returns how many rows were deleted: call again until it returns 0. Does nothing to an account
     * that is not deleted.
     */
    int purge(AccountId id, Instant now, int limit);
}

package dev.herald.store;

import dev.herald.core.account.AccountId;

import java.time.Instant;
import java.util.Optional;

/** Stored first responses keyed by account, scope (the route) and the caller's idempotency key. */
public interface IdempotencyRecords {
    /** The record if one was stored at or after {@code notBefore}. */
    Optional<IdempotencyRecord> find(AccountId account, String scope, String key, Instant notBefore);

    /** Stores {@code record} unless one exists; returns whichever is stored now. */
    IdempotencyRecord putIfAbsent(AccountId account, String scope, String key, IdempotencyRecord record);

    /** The platform's record (a request that belongs to no account) if one was stored at or after {@code notBefore}. */
    Optional<IdempotencyRecord> findForPlatform(String scope, String key, Instant notBefore);

    /** Stores the platform's {@code record} unless one exists; returns whichever is stored now. */
    IdempotencyRecord putIfAbsentForPlatform(String scope, String key, IdempotencyRecord record);

    /** Deletes records, the accounts' and the platform's, stored before {@code cutoff}. */
    int purgeOlderThan(Instant cutoff);
}

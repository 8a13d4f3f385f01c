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

    int purgeOlderThan(Instant cutoff);
}

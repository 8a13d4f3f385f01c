package dev.herald.store.jdbc;

import java.util.Objects;
import java.util.Optional;

/**
 * What differs between the SQL dialects once connections are set up: the store's name, the claim and give-back
 * statements (PostgreSQL adds row locks, {@code FOR UPDATE SKIP LOCKED} and key-ordered; SQLite has a single writer
 * and needs none) and how a batch of attempt results is recorded (PostgreSQL: one round trip, not one per
 * statement and row).
 *
 * @param claimDueSql a SELECT binding now, now, limit and returning the ids and endpoint ids of the oldest due,
 *                    unleased deliveries (PostgreSQL: locked, skipping rows other claimers lock)
 * @param giveBackSql an UPDATE with a {@code %s} list of delivery keys, binding lease until, the keys and the lease
 *                    owner, that moves the owner's leases (PostgreSQL: locking the rows in key order first)
 * @param beforeClaimSql run first in the claim's transaction (PostgreSQL: planner settings for that transaction)
 * @param recordAttemptsSql where a round trip costs: statements sent together that record a batch of attempt
 *                          results as {@code JdbcDeliveries.recordAttempts} does statement by statement, binding
 *                          arrays (see {@code JdbcDeliveries.recordAtOnce}) and answering the endpoints' standings
 *                          last; empty to record them statement by statement
 */
public record Dialect(String kind, String claimDueSql, String giveBackSql, Optional<String> beforeClaimSql,
                      Optional<String> recordAttemptsSql) {
    /**
     * The claim both dialects share: the oldest due, unleased deliveries (a FIFO endpoint's only while it is the
     * endpoint's head), binding now, now and the limit. PostgreSQL appends its row locks.
     */
    public static final String CLAIM_DUE = """
            SELECT id, endpoint_id FROM deliveries
            WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
              AND (sequence IS NULL OR NOT EXISTS (
                  SELECT 1 FROM deliveries ahead
                  WHERE ahead.endpoint_id = deliveries.endpoint_id AND ahead.state = 'pending'
                    AND ahead.sequence IS NOT NULL AND ahead.sequence < deliveries.sequence))
            ORDER BY next_attempt_at
            LIMIT ?""";

    public Dialect {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(claimDueSql, "claimDueSql");
        Objects.requireNonNull(giveBackSql, "giveBackSql");
        Objects.requireNonNull(beforeClaimSql, "beforeClaimSql");
        Objects.requireNonNull(recordAttemptsSql, "recordAttemptsSql");
    }
}

package dev.herald.store.jdbc;

import java.util.Objects;
import java.util.Optional;

/**
 * What differs between the SQL dialects once connections are set up: the store's name, the claim statement
 * (PostgreSQL adds {@code FOR UPDATE SKIP LOCKED}; SQLite has a single writer and needs none) and how a batch of
 * attempt results reaches the deliveries (PostgreSQL: one statement, not one round trip per row).
 *
 * @param claimDueSql an UPDATE binding lease owner, lease until, now, now, limit and returning the claimed ids
 * @param beforeClaimSql run first in the claim's transaction (PostgreSQL: planner settings for that transaction)
 * @param applyChangesSql   where a round trip costs: one statement applying a batch's {@link DeliveryChange}s, binding
 *                          arrays of keys (twice: to lock, then to update), states, attempt counts, next attempt
 *                          times, first failure times and update times; empty to apply them row by row
 */
public record Dialect(String kind, String claimDueSql, Optional<String> beforeClaimSql,
                      Optional<String> applyChangesSql) {
    public Dialect {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(claimDueSql, "claimDueSql");
        Objects.requireNonNull(beforeClaimSql, "beforeClaimSql");
        Objects.requireNonNull(applyChangesSql, "applyChangesSql");
    }
}

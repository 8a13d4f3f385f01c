package dev.herald.store.jdbc;

import java.util.Objects;
import java.util.Optional;

/**
 * What differs between the SQL dialects once connections are set up: the store's name and the claim
 * statement (PostgreSQL adds {@code FOR UPDATE SKIP LOCKED}; SQLite has a single writer and needs none).
 *
 * @param claimDueSql an UPDATE binding lease owner, lease until, now, now, limit and returning the claimed ids
 * @param beforeClaimSql run first in the claim's transaction (PostgreSQL: planner settings for that transaction)
 */
public record Dialect(String kind, String claimDueSql, Optional<String> beforeClaimSql) {
    public Dialect {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(claimDueSql, "claimDueSql");
        Objects.requireNonNull(beforeClaimSql, "beforeClaimSql");
    }
}

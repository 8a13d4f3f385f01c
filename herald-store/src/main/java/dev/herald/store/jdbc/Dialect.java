package dev.herald.store.jdbc;

import java.util.Objects;

/**
 * What differs between the SQL dialects once connections are set up: the store's name and the claim
 * statement (PostgreSQL adds {@code FOR UPDATE SKIP LOCKED}; SQLite has a single writer and needs none).
 *
 * @param claimDueSql an UPDATE binding lease owner, lease until, now, now, limit and returning the claimed ids
 */
public record Dialect(String kind, String claimDueSql) {
    public Dialect {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(claimDueSql, "claimDueSql");
    }
}

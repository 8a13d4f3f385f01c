package dev.herald.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * An UPDATE of every delivery {@code where} selects, setting {@code set} (binding the set's markers, then the
 * condition's). Where rows are locked (PostgreSQL), the rows are locked in key order before any is updated, as
 * recording attempts, the claims' give-back and an account's purge lock them: an UPDATE locks rows in the order its
 * scan meets them (an endpoint's by due time, the heap's order), and two transactions that each hold a row the other
 * waits for deadlock, until the server aborts one after a second's wait and it runs again (a pause or a circuit
 * beside another node's batch of results for the same endpoint). The condition is checked again on each row as it
 * is locked, so a row another transaction changed meanwhile is updated only if it still matches. The keys are an
 * array, found and locked once, then updated by key: as an {@code IN} subquery, a change of many rows (a large
 * backlog paused) was planned as a hash join over a scan of every delivery. Where the one writer runs alone
 * (SQLite) the statement is the plain UPDATE.
 *
 * @param set   the assignments, e.g. {@code next_attempt_at = NULL, updated_at = ?}
 * @param where the condition on the deliveries' own columns (unqualified; a subquery may read other tables)
 */
record DeliveriesUpdate(String set, String where) {
    /** The statement for {@code dialect}. */
    String sql(Dialect dialect) {
        if (dialect.lockRowsToUpdate().isEmpty()) {
            return "UPDATE deliveries SET " + set + "\nWHERE " + where;
        }
        return "UPDATE deliveries SET " + set + "\nWHERE id = ANY(ARRAY(SELECT id FROM deliveries WHERE " + where
                + "\nORDER BY id" + dialect.lockRowsToUpdate() + "))";
    }

    /**
     * Where rows are locked, locks in key order the deliveries {@code where} selects, binding {@code values} to its
     * markers; where the one writer runs alone, nothing.
     */
    static void lockInKeyOrder(Connection c, Dialect dialect, String where, long... values) throws SQLException {
        if (dialect.lockRowsToUpdate().isEmpty()) {
            return;
        }
        try (var ps = c.prepareStatement(
                "SELECT id FROM deliveries WHERE " + where + "\nORDER BY id" + dialect.lockRowsToUpdate())) {
            for (int i = 0; i < values.length; i++) {
                ps.setLong(i + 1, values[i]);
            }
            ps.executeQuery().close();
        }
    }
}

package dev.herald.store.jdbc;

import java.util.Objects;
import java.util.Optional;

/**
 * What differs between the SQL dialects once connections are set up: the store's name, the claim and give-back
 * statements (PostgreSQL adds row locks, {@code FOR UPDATE SKIP LOCKED} and key-ordered; SQLite has a single writer
 * and needs none) and how a batch of attempt results is recorded (PostgreSQL: one round trip, not one per
 * statement and row).
 *
 * @param claimDueSql a SELECT binding now, now, limit and returning the ids, endpoint ids and due times of the oldest
 *                    due, unleased unordered deliveries (PostgreSQL: locked, skipping rows other claimers lock)
 * @param claimHeadsSql a SELECT like the claim's for FIFO endpoints' deliveries: each endpoint's head, if due and
 *                      unleased, oldest due first, binding now, now, limit (see {@link #claimHeads})
 * @param claimOthersSql a SELECT like the claim's, for when its oldest due deliveries all belong to endpoints with
 *                       full lanes: it looks past them endpoint by endpoint instead of walking their backlog; two
 *                       {@code %s} lists of the endpoints to pass over, binding now, now, the most rows of any one
 *                       endpoint, the two lists, now, now and the limit
 * @param giveBackSql an UPDATE with a {@code %s} list of delivery keys, binding lease until, the keys and the lease
 *                    owner, that moves the owner's leases (PostgreSQL: locking the rows in key order first)
 * @param beforeClaimSql run first in the claim's transaction (PostgreSQL: planner settings for that transaction)
 * @param recordAttemptsSql where a round trip costs: statements sent together that record a batch of attempt
 *                          results as {@code JdbcDeliveries.recordAttempts} does statement by statement, binding
 *                          arrays (see {@code JdbcDeliveries.recordAtOnce}) and answering the endpoints' standings
 *                          last; empty to record them statement by statement
 * @param textFromUtf8 an SQL expression around one placeholder, bound with UTF-8 bytes, whose value is that text: an
 *                     event's payload is bound as the bytes every attempt sends, not as a Java string the driver
 *                     encodes again (SQLite stores the bytes of a cast blob as they are; PostgreSQL checks them)
 * @param lockRows appended to a SELECT to lock the rows it reads until the transaction ends (PostgreSQL:
 *                 {@code FOR UPDATE}; SQLite, whose one writer runs alone, nothing)
 * @param lockRowsToUpdate as {@code lockRows}, for rows the transaction updates but neither deletes nor rekeys
 *                         (PostgreSQL: {@code FOR NO KEY UPDATE}, the lock an UPDATE of them takes anyway; SQLite:
 *                         nothing); see {@link DeliveriesUpdate}
 */
public record Dialect(String kind, String claimDueSql, String claimHeadsSql, String claimOthersSql, String giveBackSql,
                      Optional<String> beforeClaimSql, Optional<String> recordAttemptsSql, String textFromUtf8,
                      String lockRows, String lockRowsToUpdate) {
    /**
     * What makes a delivery claimable past endpoints with full lanes, binding now and now: pending, due and unleased,
     * and a FIFO endpoint's only while it is the endpoint's head (checked on the few rows that claim finds).
     */
    private static final String CLAIMABLE = """
            state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
              AND (sequence IS NULL OR NOT EXISTS (%s))""".formatted(FifoSequences.pendingAhead("deliveries"));

    /**
     * The claim of unordered deliveries both dialects share: the oldest due and unleased, binding now, now and the
     * limit. {@code sequence IS NULL} matches the partial index deliveries_due_unordered (V13), which holds no FIFO
     * delivery: the walk in due order no longer passes a FIFO endpoint's backlog row by row (each checked for being
     * its endpoint's head), which cost every claim O(backlog). FIFO heads are claimed by {@link #claimHeads}.
     * PostgreSQL appends its row locks.
     */
    public static final String CLAIM_DUE = """
            SELECT id, endpoint_id, next_attempt_at FROM deliveries
            WHERE state = 'pending' AND sequence IS NULL AND next_attempt_at <= ?
              AND (lease_until IS NULL OR lease_until <= ?)
            ORDER BY next_attempt_at
            LIMIT ?""";

    /**
     * The common table {@code ordered}: the endpoints with pending FIFO deliveries, one index seek each (a loose scan
     * of deliveries_fifo), ending in a NULL row.
     */
    private static final String ORDERED_ENDPOINTS = """
            ordered(endpoint_id) AS (
                SELECT MIN(endpoint_id) FROM deliveries WHERE state = 'pending' AND sequence IS NOT NULL
                UNION ALL
                SELECT (SELECT MIN(d.endpoint_id) FROM deliveries d
                        WHERE d.state = 'pending' AND d.sequence IS NOT NULL AND d.endpoint_id > o.endpoint_id)
                FROM ordered o WHERE o.endpoint_id IS NOT NULL)""";

    /**
     * The head of each endpoint in {@code ordered o} that {@code endpoints} keeps: its pending FIFO delivery of
     * lowest sequence (deliveries_fifo).
     */
    private static String headsAmong(String endpoints) {
        return """
                SELECT (SELECT h.id FROM deliveries h
                        WHERE h.endpoint_id = o.endpoint_id AND h.state = 'pending' AND h.sequence IS NOT NULL
                        ORDER BY h.sequence LIMIT 1)
                FROM ordered o WHERE\s""" + endpoints;
    }

    /**
     * The claim of FIFO endpoints' heads both dialects share, around {@code headsOf}: the dialect's way of keeping
     * the deliveries whose ids a subquery lists (a {@code %s} in it), read through the primary key. The endpoints
     * with pending FIFO deliveries are found one seek each (a loose scan of deliveries_fifo) and each one's head (its
     * lowest pending sequence) by one more; a head is claimable when due and unleased. A head that is in flight,
     * retrying later or held thus keeps everything behind it waiting, and nothing behind a head is ever read. Binds
     * now, now and the limit; PostgreSQL appends its row locks.
     */
    public static String claimHeads(String headsOf) {
        return "WITH RECURSIVE " + ORDERED_ENDPOINTS + """
                
                SELECT id, endpoint_id, next_attempt_at FROM deliveries
                WHERE\s""" + headsOf.formatted(headsAmong("o.endpoint_id IS NOT NULL")) + """
                
                  AND state = 'pending' AND sequence IS NOT NULL AND next_attempt_at <= ?
                  AND (lease_until IS NULL OR lease_until <= ?)
                ORDER BY next_attempt_at
                LIMIT ?""";
    }

    /**
     * The claim past endpoints with full lanes both dialects share (see {@link #claimOthersSql}), around
     * {@code oldestDueOfEach}: the dialect's way of reading each listed unordered endpoint's oldest due deliveries
     * (ids; binding now, now and the most of one endpoint's) from {@code unordered u}, but those of the endpoints in
     * its {@code %s} list. The endpoints with work are found one index seek each (a loose scan of
     * deliveries_endpoint_due, and of deliveries_fifo for ordered endpoints, whose head alone is read, as
     * {@link #claimHeads} reads it); the claimable conditions are checked again on the rows found. PostgreSQL appends
     * its row locks.
     */
    public static String claimOthers(String oldestDueOfEach) {
        return """
                WITH RECURSIVE unordered(endpoint_id) AS (
                    SELECT MIN(endpoint_id) FROM deliveries
                    WHERE state = 'pending' AND sequence IS NULL AND next_attempt_at IS NOT NULL
                    UNION ALL
                    SELECT (SELECT MIN(d.endpoint_id) FROM deliveries d
                            WHERE d.state = 'pending' AND d.sequence IS NULL AND d.next_attempt_at IS NOT NULL
                              AND d.endpoint_id > u.endpoint_id)
                    FROM unordered u WHERE u.endpoint_id IS NOT NULL),
                """ + ORDERED_ENDPOINTS + """
                
                SELECT id, endpoint_id, next_attempt_at FROM deliveries
                WHERE id IN (
                """ + oldestDueOfEach + "\nUNION ALL\n" + headsAmong("o.endpoint_id NOT IN (%s))") + """
                
                  AND\s""" + CLAIMABLE + "\nORDER BY next_attempt_at\nLIMIT ?";
    }

    public Dialect {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(claimDueSql, "claimDueSql");
        Objects.requireNonNull(claimHeadsSql, "claimHeadsSql");
        Objects.requireNonNull(claimOthersSql, "claimOthersSql");
        Objects.requireNonNull(giveBackSql, "giveBackSql");
        Objects.requireNonNull(beforeClaimSql, "beforeClaimSql");
        Objects.requireNonNull(recordAttemptsSql, "recordAttemptsSql");
        Objects.requireNonNull(textFromUtf8, "textFromUtf8");
        Objects.requireNonNull(lockRows, "lockRows");
        Objects.requireNonNull(lockRowsToUpdate, "lockRowsToUpdate");
    }
}

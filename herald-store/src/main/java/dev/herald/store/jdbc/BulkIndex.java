package dev.herald.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A table whose rows join their endpoint's index in bulk (attempts, V14; deliveries, V15). An index keyed by endpoint
 * puts each new row on a page of its own endpoint's, so a group commit of rows to many endpoints rewrote one page of
 * it per row in SQLite's WAL. The table's index by endpoint holds only the rows marked {@code indexed}: SQLite writes
 * rows unmarked and marks all of them at once every {@value #EVERY} rows (and when the store opens), where each
 * endpoint's page takes all of its new rows together. The table's one-row {@code <table>_indexed_upto} is the mark: a
 * row is indexed exactly when its id is at or below it (ids only grow), so a read of one endpoint's rows takes the
 * index and the short run of ids above the mark, in one statement and so one snapshot ({@link #idsOf}).
 * PostgreSQL indexes every row as it is written: its rows are marked from the start and its mark is past every id.
 */
final class BulkIndex {
    /** Rows written between two markings: about the most a read of one endpoint's rows reads past the index. */
    static final int EVERY = 10_000;
    /** Rows marked per write transaction of a catch-up: more than a second of SQLite's top rate. */
    private static final int MARKED_PER_TRANSACTION = 50_000;

    private final String table;
    private final String readMark;
    private final String markRows;
    private final String moveMark;
    /** Rows written since the last marking, as this process counted them. */
    private final AtomicInteger sinceMarked = new AtomicInteger();

    /** {@code table}: a constant of the store's, never input. */
    BulkIndex(String table) {
        this.table = table;
        this.readMark = "SELECT upto, COALESCE((SELECT MAX(id) FROM " + table + "), 0) FROM " + table + "_indexed_upto";
        this.markRows = "UPDATE " + table + " SET indexed = 1 WHERE id > ? AND id <= ?";
        this.moveMark = "UPDATE " + table + "_indexed_upto SET upto = ?";
    }

    /**
     * The ids of {@code table}'s rows that {@code condition} selects (an endpoint's, or an account's endpoints'; the
     * index's key first), binding the condition's markers twice: the rows the index holds, then those above the mark.
     */
    static String idsOf(String table, String condition) {
        return "SELECT id FROM " + table + " WHERE " + condition + " AND indexed = 1\nUNION ALL\nSELECT id FROM " + table
                + " WHERE " + aboveMark(table, "id") + " AND " + condition;
    }

    /** {@code id} (a column of {@code table}'s rows, maybe qualified) is above the table's mark: not indexed yet. */
    static String aboveMark(String table, String id) {
        return id + " > (SELECT upto FROM " + table + "_indexed_upto)";
    }

    /**
     * Counts {@code rows} just written in the transaction on {@code c} and, once {@value #EVERY} have been since the
     * last marking, marks every row written so far, in that transaction. Were it undone (a write that failed), the
     * next marking takes these rows too: until then up to twice as many are read past the index.
     */
    void written(Connection c, int rows) throws SQLException {
        if (sinceMarked.addAndGet(rows) >= EVERY) {
            sinceMarked.set(0);
            mark(c, Long.MAX_VALUE);
        }
    }

    /**
     * Marks every row above the mark, {@value #MARKED_PER_TRANSACTION} at a time, each step a write transaction of its
     * own so that other writers' group commits go on between them.
     */
    void catchUp(Transactions tx) {
        long moved;
        do {
            moved = tx.write("index " + table + " by endpoint", c -> mark(c, MARKED_PER_TRANSACTION));
        } while (moved > 0);
    }

    /**
     * Marks the rows above the mark, at most {@code limit} ids past it, and moves the mark to the last one marked.
     * Returns how far the mark moved: 0 once every row is indexed, at once on PostgreSQL.
     */
    private long mark(Connection c, long limit) throws SQLException {
        long upto;
        long last;
        try (var ps = c.prepareStatement(readMark); var rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException(table + "_indexed_upto has no row");
            }
            upto = rs.getLong(1);
            last = rs.getLong(2);
        }
        if (last <= upto) {
            return 0;
        }
        long to = last - upto > limit ? upto + limit : last;
        try (var mark = c.prepareStatement(markRows); var move = c.prepareStatement(moveMark)) {
            mark.setLong(1, upto);
            mark.setLong(2, to);
            mark.executeUpdate();
            move.setLong(1, to);
            move.executeUpdate();
        }
        return to - upto;
    }
}

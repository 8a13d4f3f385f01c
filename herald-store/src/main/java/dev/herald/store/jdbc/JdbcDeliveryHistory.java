package dev.herald.store.jdbc;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.DeliveryHistory;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An endpoint's delivery history over JDBC. */
final class JdbcDeliveryHistory implements DeliveryHistory {
    // COALESCE(?, column) compares a column with itself when the filter is absent: one statement for every
    // combination of filters, with each marker's type known to PostgreSQL from the column it meets.
    private static final String PAGE_OF_BRANCH = """
             AND d.id < ? AND d.state = COALESCE(?, d.state) AND e.type = COALESCE(?, e.type) AND d.created_at >= ?
            ORDER BY d.id DESC LIMIT ?""";
    /**
     * A page of the endpoint's deliveries, newest first: a page of those its index holds and one of those above the
     * mark (see {@link BulkIndex}), each read in index order and cut at the page's length, merged. Binds the endpoint,
     * the cursor's bound, state, type, since and the page's length for each, then the length again.
     */
    private static final String PAGE = "SELECT * FROM (" + DeliveryRows.SELECT
            + "WHERE d.endpoint_id = ? AND d.indexed = 1" + PAGE_OF_BRANCH + ") marked\nUNION ALL\nSELECT * FROM ("
            + DeliveryRows.SELECT + "WHERE " + BulkIndex.aboveMark("deliveries", "d.id") + " AND d.endpoint_id = ?"
            + PAGE_OF_BRANCH + ") recent\nORDER BY id DESC LIMIT ?";
    /**
     * The hour is computed once, in the inner query, so the GROUP BY names a column rather than repeating markers; the
     * attempts are the endpoint's in the window (see {@link BulkIndex#idsOf}), binding start, hour, then the
     * endpoint, from and until twice.
     */
    private static final String PER_HOUR = """
            SELECT hour, SUM(CASE WHEN error_class IS NULL THEN 1 ELSE 0 END) AS successes,
                   SUM(CASE WHEN error_class IS NULL THEN 0 ELSE 1 END) AS failures
            FROM (SELECT (attempted_at - ?) / ? AS hour, error_class FROM attempts WHERE id IN (
            """ + BulkIndex.idsOf("attempts", "endpoint_id = ? AND attempted_at >= ? AND attempted_at < ?") + """
            )) a
            GROUP BY hour ORDER BY hour""";
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private final Transactions tx;

    JdbcDeliveryHistory(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public Page<Delivery> list(EndpointId endpoint, Filter filter, PageRequest page) {
        long below = Cursors.upperBound(page.cursor());
        return tx.read("list delivery history", c -> {
            try (var ps = c.prepareStatement(PAGE)) {
                for (int branch = 0; branch < 2; branch++) {
                    int at = branch * 6;
                    ps.setLong(at + 1, endpoint.value());
                    ps.setLong(at + 2, below);
                    ps.setString(at + 3, filter.state().map(DeliveryState::wireName).orElse(null));
                    ps.setString(at + 4, filter.eventType().orElse(null));
                    ps.setLong(at + 5, filter.since().map(Columns::millis).orElse(0L));
                    ps.setInt(at + 6, page.limit() + 1);
                }
                ps.setInt(13, page.limit() + 1);
                var items = new ArrayList<Delivery>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(DeliveryRows.delivery(rs));
                    }
                }
                if (items.size() <= page.limit()) {
                    return new Page<>(items, false, Optional.empty());
                }
                var shown = items.subList(0, page.limit());
                return new Page<>(shown, true, Optional.of(Cursors.encode(shown.getLast().key())));
            }
        });
    }

    @Override
    public List<HourCount> attemptsPerHour(EndpointId endpoint, Instant from, int hours) {
        long start = Columns.millis(from);
        return tx.read("count attempts per hour", c -> {
            try (var ps = c.prepareStatement(PER_HOUR)) {
                ps.setLong(1, start);
                ps.setLong(2, HOUR_MILLIS);
                for (int branch = 0; branch < 2; branch++) {
                    int at = 2 + branch * 3;
                    ps.setLong(at + 1, endpoint.value());
                    ps.setLong(at + 2, start);
                    ps.setLong(at + 3, start + hours * HOUR_MILLIS);
                }
                var counts = new ArrayList<HourCount>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.add(new HourCount(Math.toIntExact(rs.getLong("hour")), rs.getLong("successes"),
                                rs.getLong("failures")));
                    }
                }
                return counts;
            }
        });
    }
}

package dev.herald.store.jdbc;

import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EventDraft;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Numbers the deliveries of FIFO endpoints in the transaction that stores them: each endpoint's counter is moved on
 * under its row lock, so on PostgreSQL a concurrent publish to the same endpoint waits for this one to commit and its
 * numbers follow: sequence order is commit order, and no smaller number can appear after a larger one is visible.
 */
final class FifoSequences {
    /** Returns the new last number; the block {@code last - n + 1 … last} is this transaction's. */
    private static final String TAKE = """
            UPDATE endpoints SET fifo_sequence = fifo_sequence + ? WHERE id = ? RETURNING fifo_sequence""";
    private static final String SET = "UPDATE deliveries SET sequence = ? WHERE id = ?";

    private FifoSequences() {
    }

    /**
     * A subquery finding a pending delivery ahead of {@code row} (an alias of deliveries) on its FIFO endpoint: a
     * smaller number. Without one, {@code row} is its endpoint's head; the claim, the circuit sweep and a re-probe
     * all judge the head by it.
     */
    static String pendingAhead(String row) {
        return "SELECT 1 FROM deliveries ahead WHERE ahead.endpoint_id = " + row + ".endpoint_id"
                + " AND ahead.state = 'pending' AND ahead.sequence IS NOT NULL AND ahead.sequence < " + row
                + ".sequence";
    }

    /**
     * Gives each sequenced delivery of {@code created} (in draft order, which is publish order) its endpoint's next
     * number; {@code eventKeys} (one per created event, in its order) and {@code deliveryKeys} hold the row keys the
     * insert returned. Returns the numbers by row key.
     */
    static Map<Long, Long> assign(Connection c, List<EventDraft> created, long[] eventKeys, DeliveryKeys deliveryKeys)
            throws SQLException {
        var byEndpoint = new TreeMap<EndpointId, List<Long>>(Comparator.comparingLong(EndpointId::value));
        for (int i = 0; i < created.size(); i++) {
            for (DeliveryDraft d : created.get(i).deliveries()) {
                if (d.sequenced()) {
                    byEndpoint.computeIfAbsent(d.endpointId(), k -> new ArrayList<>())
                            .add(deliveryKeys.get(eventKeys[i], d.endpointId().value()));
                }
            }
        }
        if (byEndpoint.isEmpty()) {
            return Map.of();
        }
        var numbers = new LinkedHashMap<Long, Long>();
        // endpoint rows locked in id order, as every other writer locks them: no two publishes wait in a cycle
        for (var entry : byEndpoint.entrySet()) {
            List<Long> keys = entry.getValue();
            long last;
            try (var ps = c.prepareStatement(TAKE)) {
                ps.setLong(1, keys.size());
                ps.setLong(2, entry.getKey().value());
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue; // the endpoint is gone: its deliveries stay unnumbered, and are cancelled anyway
                    }
                    last = rs.getLong(1);
                }
            }
            long next = last - keys.size() + 1;
            for (long key : keys) {
                numbers.put(key, next++);
            }
        }
        try (var ps = c.prepareStatement(SET)) {
            for (var entry : numbers.entrySet()) {
                ps.setLong(1, entry.getValue());
                ps.setLong(2, entry.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return new HashMap<>(numbers);
    }
}

package dev.herald.store.jdbc;

import dev.herald.core.account.AccountId;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.EventId;
import dev.herald.store.AttemptRecord;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.Deliveries;
import dev.herald.store.DeliveryHistory;
import dev.herald.store.DueClaim;
import dev.herald.store.EndpointStanding;
import dev.herald.store.EventAttempt;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.Lease;
import dev.herald.store.ListOrder;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.QueueDepth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The delivery queue and attempt log over JDBC; the dialects differ in the claim, in recording a batch of attempts and
 * in how changes of many deliveries lock them ({@link DeliveriesUpdate}).
 */
final class JdbcDeliveries implements Deliveries {
    private static final String CLAIMED = DeliveryRows.SELECT + "WHERE d.id IN (%s) ORDER BY d.next_attempt_at, d.id";
    /** The rows are the claim's candidates, locked by its SELECT on PostgreSQL: no condition to check again. */
    private static final String LEASE = "UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE id IN (%s)";
    /**
     * The attempt is manual when its delivery was marked by a manual retry (read in the same statement, no extra round
     * trip); only the first of a batch's attempts of one delivery takes the mark, which the batch then clears.
     */
    private static final String INSERT_ATTEMPT = """
            INSERT INTO attempts (delivery_id, endpoint_id, number, attempted_at, duration_ms, response_status,
                                  response_body, error_class, error_message, manual)
            SELECT id, endpoint_id, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 1 THEN manual_retry ELSE 0 END
            FROM deliveries WHERE id = ?""";
    /** A delivery cancelled (or otherwise finished) while the attempt was in flight keeps its state. */
    private static final String APPLY_ATTEMPT = """
            UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL,
                                  first_failed_at = COALESCE(first_failed_at, ?), updated_at = ?, manual_retry = 0
            WHERE id = ? AND state = 'pending'""";
    /**
     * Counters move by the batch's deltas; a success in the batch resets the failure streak first. Sent as one
     * JDBC batch (on PostgreSQL one round trip, not one per endpoint) and read back with {@link #STATS_OF}.
     */
    private static final String APPLY_STATS = """
            UPDATE endpoint_stats
            SET successful = successful + ?, failed = failed + ?,
                consecutive_failures = CASE WHEN ? = 1 THEN ? ELSE consecutive_failures + ? END,
                last_success_at = COALESCE(?, last_success_at), last_failure_at = COALESCE(?, last_failure_at),
                last_attempt_at = ?, last_error = COALESCE(?, last_error)
            WHERE endpoint_id = ?""";
    private static final String STANDINGS_OF = """
            SELECT s.endpoint_id, s.successful, s.failed, s.consecutive_failures, s.last_success_at,
                   s.last_failure_at, s.last_attempt_at, s.last_error, e.status, e.circuit
            FROM endpoint_stats s JOIN endpoints e ON e.id = s.endpoint_id WHERE s.endpoint_id IN (%s)""";
    private static final String BY_PUBLIC_ID = DeliveryRows.SELECT + "WHERE d.account_id = ? AND d.public_id = ?";
    private static final String BY_KEY = DeliveryRows.SELECT + "WHERE d.id = ?";
    private static final String ATTEMPTS = """
            SELECT id, delivery_id, endpoint_id, number, attempted_at, duration_ms, response_status, response_body,
                   error_class, error_message, manual
            FROM attempts WHERE delivery_id = ? ORDER BY id""";
    private static final String EVENT_ATTEMPTS = """
            SELECT a.id, a.delivery_id, a.endpoint_id, a.number, a.attempted_at, a.duration_ms, a.response_status,
                   a.response_body, a.error_class, a.error_message, a.manual, e.public_id AS event_public_id
            FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id
            """;
    private static final String ATTEMPTS_OF_EVENT = EVENT_ATTEMPTS
            + "WHERE e.account_id = ? AND e.public_id = ? ORDER BY a.id DESC";
    /**
     * A page of the endpoint's attempts, newest first by time then key: a page of those its index holds (in the index's
     * order, which ends with the row's key on SQLite, and sorted incrementally on PostgreSQL) and one of those above
     * the mark (see {@link BulkIndex}), each cut at the page's length, then merged. All of the endpoint's attempts
     * matched first and paged after was a read of every one of them per page. The ids above the mark are read by key
     * alone: bounded on both sides (PostgreSQL's plan, made before the mark is read, then expects few rows rather than
     * a third of the table, and reads none: its mark is past every id), the endpoint compared unindexed ({@code +}), or
     * the planners walk the endpoint's time index for the order. Binds, for each branch, the endpoint, the cursor's
     * time twice and key, the page's length; then the length again.
     */
    static final String ATTEMPTS_OF_ENDPOINT_NEWEST = endpointAttemptsPage("<=", "<", "DESC");
    private static final String ATTEMPTS_OF_ENDPOINT_OLDEST = endpointAttemptsPage(">=", ">", "ASC");
    /** Binding the endpoint twice (see {@link BulkIndex#idsOf}). */
    private static final String COUNT_BY_STATE = "SELECT state, COUNT(*) AS n FROM deliveries WHERE id IN ("
            + BulkIndex.idsOf("deliveries", "endpoint_id = ?") + ") GROUP BY state";
    private static final DeliveriesUpdate CANCEL_PENDING = new DeliveriesUpdate(
            "state = 'cancelled', next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?",
            "endpoint_id = ? AND state = 'pending'");
    private static final DeliveriesUpdate HOLD = new DeliveriesUpdate("next_attempt_at = NULL, updated_at = ?",
            "endpoint_id = ? AND state = 'pending' AND next_attempt_at IS NOT NULL");
    /**
     * Due since they were created: resumed work keeps its publication order among itself and among other
     * endpoints' due work, instead of forming one block per resumed endpoint that a claim would take whole.
     */
    private static final DeliveriesUpdate RELEASE = new DeliveriesUpdate("next_attempt_at = created_at, updated_at = ?",
            "endpoint_id = ? AND state = 'pending' AND next_attempt_at IS NULL");
    /** Through the endpoints' index: deliveries have no index on their account. */
    private static final DeliveriesUpdate HOLD_ACCOUNT = new DeliveriesUpdate("next_attempt_at = NULL, updated_at = ?", """
            endpoint_id IN (SELECT id FROM endpoints WHERE account_id = ?)
              AND state = 'pending' AND next_attempt_at IS NOT NULL""");
    /** Only receiving endpoints: a paused one's deliveries stay held until it is resumed. */
    private static final DeliveriesUpdate RELEASE_ACCOUNT = new DeliveriesUpdate(
            "next_attempt_at = created_at, updated_at = ?", """
            endpoint_id IN (SELECT id FROM endpoints WHERE account_id = ? AND deleted_at IS NULL
                                                     AND status IN ('active', 'failing'))
              AND state = 'pending' AND next_attempt_at IS NULL""");
    /**
     * Opening a circuit: everything but the probe waits, in flight or not (an attempt's result is held again). Leases
     * go too: work a node had claimed but not started is dropped there, and must be claimable once released.
     */
    private static final DeliveriesUpdate HOLD_ALL_BUT = new DeliveriesUpdate(
            "next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?",
            "endpoint_id = ? AND state = 'pending' AND next_attempt_at IS NOT NULL AND id <> ?");
    /**
     * The rows {@link #HOLD_ALL_BUT} holds and the probe {@link #MAKE_PROBE} then makes due, binding the endpoint and
     * the probe: locked together in key order, where the two statements alone would lock the probe after the rest.
     */
    private static final String HOLD_ALL_BUT_AND_PROBE = """
            endpoint_id = ? AND state = 'pending' AND (next_attempt_at IS NOT NULL OR id = ?)""";
    private static final String PENDING_OF_ENDPOINT = "endpoint_id = ? AND state = 'pending'";
    /** The probe keeps its retry time; held, it is due now. */
    private static final String MAKE_PROBE = """
            UPDATE deliveries SET next_attempt_at = COALESCE(next_attempt_at, ?), updated_at = ?
            WHERE id = ? AND state = 'pending'""";
    /** Through the deliveries_held index. */
    private static final String OLDEST_HELD = """
            SELECT id FROM deliveries WHERE endpoint_id = ? AND state = 'pending' AND next_attempt_at IS NULL
            ORDER BY id LIMIT ?""";
    /**
     * A FIFO endpoint's in its order (through the deliveries_fifo index): on PostgreSQL concurrent publishes may give
     * the smaller number to the larger id, and releasing by id could leave the head held behind what it blocks.
     */
    private static final String OLDEST_HELD_FIFO = """
            SELECT id FROM deliveries
            WHERE endpoint_id = ? AND state = 'pending' AND sequence IS NOT NULL AND next_attempt_at IS NULL
            ORDER BY sequence LIMIT ?""";
    private static final String RELEASE_ONE = """
            UPDATE deliveries SET next_attempt_at = created_at, updated_at = ?
            WHERE id = ? AND state = 'pending' AND next_attempt_at IS NULL""";
    private static final String PENDING_AMONG = """
            SELECT COUNT(*) FROM deliveries WHERE id IN (%s) AND state = 'pending'""";
    private static final String HELD = """
            SELECT COUNT(*) FROM deliveries WHERE endpoint_id = ? AND state = 'pending' AND next_attempt_at IS NULL""";
    private static final String HELD_BY_CIRCUITS = """
            SELECT COUNT(*) FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
            WHERE e.circuit <> 'closed' AND e.deleted_at IS NULL
              AND d.state = 'pending' AND d.next_attempt_at IS NULL""";
    /**
     * A retry scheduled for a delivery that was in flight when its endpoint's circuit opened: held like the rest,
     * so only the probe keeps trying.
     */
    private static final String HOLD_IF_CIRCUIT_OPEN = """
            UPDATE deliveries SET next_attempt_at = NULL
            WHERE id = ? AND state = 'pending' AND next_attempt_at IS NOT NULL
              AND EXISTS (SELECT 1 FROM endpoints e
                          WHERE e.id = deliveries.endpoint_id AND e.circuit = 'open'
                            AND (e.circuit_probe IS NULL OR e.circuit_probe <> deliveries.id))""";
    /** Through the deliveries_held index, endpoint by endpoint: only held rows are read. */
    private static final DeliveriesUpdate RELEASE_STRAY_HELD = new DeliveriesUpdate(
            "next_attempt_at = created_at, updated_at = ?", """
            state = 'pending' AND next_attempt_at IS NULL
              AND endpoint_id IN (SELECT e.id FROM endpoints e JOIN accounts a ON a.id = e.account_id
                                  WHERE e.deleted_at IS NULL AND e.status IN ('active', 'failing')
                                    AND e.circuit = 'closed' AND a.status = 'active')""");
    private static final String RETRY_NOW = """
            UPDATE deliveries SET state = 'pending', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL,
                                  updated_at = ?, manual_retry = 1
            WHERE id = ?""";
    private static final String MARK_MANUAL = "UPDATE deliveries SET manual_retry = 1 WHERE id = ?";
    /**
     * Binding now twice, then the endpoint, since and until twice (see {@link BulkIndex#idsOf}); the state is named
     * again outside the union, where a row's lock checks it again.
     */
    private static final DeliveriesUpdate REQUEUE_FAILED = new DeliveriesUpdate(
            "state = 'pending', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?",
            "id IN (" + BulkIndex.idsOf("deliveries",
                    "endpoint_id = ? AND state = 'failed' AND created_at >= ? AND created_at < ?")
                    + ") AND state = 'failed'");
    private static final DeliveriesUpdate RELEASE_LEASES = new DeliveriesUpdate(
            "lease_owner = NULL, lease_until = NULL", "lease_owner = ?");
    /** Unordered rows through deliveries_due_unordered, FIFO rows through deliveries_fifo (V13). */
    private static final String DEPTH = """
            SELECT COALESCE(SUM(CASE WHEN next_attempt_at <= ? THEN 1 ELSE 0 END), 0) AS due_now,
                   COALESCE(SUM(CASE WHEN next_attempt_at > ? THEN 1 ELSE 0 END), 0) AS scheduled,
                   COALESCE(SUM(CASE WHEN next_attempt_at IS NULL THEN 1 ELSE 0 END), 0) AS held
            FROM (SELECT next_attempt_at FROM deliveries WHERE state = 'pending' AND sequence IS NULL
                  UNION ALL
                  SELECT next_attempt_at FROM deliveries WHERE state = 'pending' AND sequence IS NOT NULL) pending""";
    /** Subselects bound the batch: SQLite has no {@code DELETE … LIMIT}. */
    private static final String PURGE_ATTEMPTS = """
            DELETE FROM attempts WHERE id IN (
                SELECT a.id FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
                WHERE d.state IN ('delivered', 'failed', 'cancelled') AND d.updated_at < ?
                LIMIT ?)""";
    /** An event without deliveries (no subscriber) is purged by its age alone. */
    private static final String PURGE_PAYLOADS = """
            UPDATE events SET payload = '{}' WHERE id IN (
                SELECT e.id FROM events e
                WHERE e.occurred_at < ? AND e.payload <> '{}'
                  AND NOT EXISTS (SELECT 1 FROM deliveries d
                                  WHERE d.event_id = e.id AND (d.state = 'pending' OR d.updated_at >= ?))
                LIMIT ?)""";

    private static final SizedSql LEASE_SIZED = SizedSql.list(LEASE);
    private static final SizedSql CLAIMED_SIZED = SizedSql.list(CLAIMED);
    private static final SizedSql STANDINGS_OF_SIZED = SizedSql.list(STANDINGS_OF);
    private static final SizedSql PENDING_AMONG_SIZED = SizedSql.list(PENDING_AMONG);

    private final Transactions tx;
    private final Dialect dialect;
    private final SizedSql giveBack;
    /** The listing by state is the history's listing with only the state filter. */
    private final JdbcDeliveryHistory history;
    /** Attempts join their endpoint's index in bulk on SQLite (V14): each batch recorded counts its rows there. */
    private final BulkIndex attemptIndex;

    JdbcDeliveries(Transactions tx, Dialect dialect, BulkIndex attemptIndex) {
        this.tx = tx;
        this.attemptIndex = attemptIndex;
        this.dialect = dialect;
        this.giveBack = SizedSql.list(dialect.giveBackSql());
        this.history = new JdbcDeliveryHistory(tx);
    }

    @Override
    public DueClaim claimDue(Lease lease, Instant now, int limit, ToIntFunction<EndpointId> room) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return tx.write("claim due deliveries", c -> {
            if (dialect.beforeClaimSql().isPresent()) {
                try (var st = c.createStatement()) {
                    st.execute(dialect.beforeClaimSql().get());
                }
            }
            var taking = new Taking(room);
            // Unordered work and FIFO heads are found apart (each through its own index), then taken as one window,
            // oldest due first, as if one statement had read them: neither starves the other.
            var window = Candidate.oldestFirst(due(c, dialect.claimDueSql(), now, limit),
                    due(c, dialect.claimHeadsSql(), now, limit), limit);
            int read = taking.take(window);
            // The window was full and mostly of endpoints with no room: what lies past it may be other endpoints' due
            // work, waiting behind a saturated endpoint's backlog (a resumed endpoint's, all due at once). Look past it
            // endpoint by endpoint rather than walking that backlog, which costs O(backlog) per claim.
            if (read == limit && taking.keys.size() <= limit / 2 && !taking.leftFor.isEmpty()) {
                var full = List.copyOf(taking.leftFor);
                taking.expectTakenAgain();
                String lists = Placeholders.list(full.size());
                try (var ps = c.prepareStatement(dialect.claimOthersSql().formatted(lists, lists))) {
                    int p = 1;
                    ps.setLong(p++, Columns.millis(now));
                    ps.setLong(p++, Columns.millis(now));
                    ps.setInt(p++, limit); // the window's own rows of endpoints with room come again: skipped
                    for (int list = 0; list < 2; list++) {
                        for (EndpointId endpoint : full) {
                            ps.setLong(p++, endpoint.value());
                        }
                    }
                    ps.setLong(p++, Columns.millis(now));
                    ps.setLong(p++, Columns.millis(now));
                    ps.setInt(p, limit);
                    taking.take(Candidate.read(ps));
                }
            }
            var keys = taking.keys;
            var leftFor = taking.leftFor;
            for (var chunk : SizedSql.inLists(keys)) {
                try (var ps = c.prepareStatement(LEASE_SIZED.forList(chunk))) {
                    ps.setString(1, lease.owner());
                    ps.setLong(2, Columns.millis(lease.until()));
                    SizedSql.bindPadded(ps, 3, chunk);
                    ps.executeUpdate();
                }
            }
            return new DueClaim(claimed(c, keys), leftFor);
        });
    }

    /** The candidates a claim's SELECT (binding now, now and the limit) finds, oldest due first. */
    private static List<Candidate> due(Connection c, String sql, Instant now, int limit) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setLong(1, Columns.millis(now));
            ps.setLong(2, Columns.millis(now));
            ps.setInt(3, limit);
            return Candidate.read(ps);
        }
    }

    /** A row a claim's SELECT found: the delivery's key, its endpoint and when it became due. */
    private record Candidate(long key, EndpointId endpoint, long due) {
        private static final Comparator<Candidate> OLDEST_FIRST =
                Comparator.comparingLong(Candidate::due).thenComparingLong(Candidate::key);

        /** The rows (id, endpoint id, due time) the statement selects, in its order. */
        static List<Candidate> read(PreparedStatement ps) throws SQLException {
            var rows = new ArrayList<Candidate>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Candidate(rs.getLong(1), new EndpointId(rs.getLong(2)), rs.getLong(3)));
                }
            }
            return rows;
        }

        /**
         * The {@code limit} oldest due of two windows. On PostgreSQL the rows past it stay locked (not leased) until
         * the claim commits, as rows past an endpoint's room do.
         */
        static List<Candidate> oldestFirst(List<Candidate> unordered, List<Candidate> heads, int limit) {
            if (heads.isEmpty()) {
                return unordered;
            }
            var merged = new ArrayList<Candidate>(unordered.size() + heads.size());
            merged.addAll(unordered);
            merged.addAll(heads);
            merged.sort(OLDEST_FIRST);
            return merged.subList(0, Math.min(limit, merged.size()));
        }
    }

    /**
     * What a claim takes of the rows its SELECTs found, in their order: at most each endpoint's room, each row once
     * (a second SELECT may find the first's rows again), naming the endpoints it left rows of.
     */
    private static final class Taking {
        private final ToIntFunction<EndpointId> room;
        private final Map<EndpointId, Integer> roomLeft = new HashMap<>();
        private final List<Long> keys = new ArrayList<>();
        private final Set<EndpointId> leftFor = new HashSet<>();
        /** The keys taken before the SELECT at hand, when it may find them again (none for the first). */
        private Set<Long> takenBefore = Set.of();

        Taking(ToIntFunction<EndpointId> room) {
            this.room = room;
        }

        /** The next SELECT may find rows taken so far again: they are passed over (a set only on this rare path). */
        void expectTakenAgain() {
            takenBefore = new HashSet<>(keys);
        }

        /** Takes what fits of the rows, in their order; returns how many there were. */
        int take(List<Candidate> rows) {
            for (var row : rows) {
                if (!takenBefore.isEmpty() && takenBefore.contains(row.key())) {
                    continue;
                }
                int left = roomLeft.computeIfAbsent(row.endpoint(), room::applyAsInt);
                if (left > 0) {
                    keys.add(row.key());
                    roomLeft.put(row.endpoint(), left - 1);
                } else {
                    leftFor.add(row.endpoint());
                }
            }
            return rows.size();
        }
    }

    @Override
    public int giveBack(List<Long> deliveryKeys, Lease lease) {
        if (deliveryKeys.isEmpty()) {
            return 0;
        }
        var keys = deliveryKeys.stream().sorted().distinct().toList();
        return tx.write("give back deliveries", c -> {
            int moved = 0;
            for (var chunk : SizedSql.inLists(keys)) {
                try (var ps = c.prepareStatement(giveBack.forList(chunk))) {
                    ps.setLong(1, Columns.millis(lease.until()));
                    int owner = SizedSql.bindPadded(ps, 2, chunk);
                    ps.setString(owner, lease.owner());
                    moved += ps.executeUpdate();
                }
            }
            return moved;
        });
    }

    /** {@link #CLAIMED}'s order: due time, then key. */
    private static final Comparator<ClaimedDelivery> CLAIM_ORDER = Comparator
            .comparing((ClaimedDelivery c) -> c.delivery().nextAttemptAt().orElse(Instant.MIN))
            .thenComparingLong(c -> c.delivery().key());

    private static List<ClaimedDelivery> claimed(Connection c, List<Long> keys) throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        var claimed = new ArrayList<ClaimedDelivery>(keys.size());
        // One event's deliveries (a fan-out due at once) share its payload: read and encoded once.
        var payloads = new HashMap<EventId, EncodedPayload>();
        for (var chunk : SizedSql.inLists(keys)) {
            try (var ps = c.prepareStatement(CLAIMED_SIZED.forList(chunk))) {
                SizedSql.bindPadded(ps, 1, chunk);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Delivery delivery = DeliveryRows.delivery(rs);
                        EncodedPayload payload = payloads.get(delivery.eventId());
                        if (payload == null) {
                            payload = Columns.utf8Text(rs, "payload");
                            payloads.put(delivery.eventId(), payload);
                        }
                        claimed.add(new ClaimedDelivery(delivery, payload,
                                Optional.ofNullable(Columns.text(rs, "trace_context")), DeliveryRows.format(rs)));
                    }
                }
            }
        }
        if (keys.size() > SizedSql.MAX) { // each chunk came in due order: the whole claim does too
            claimed.sort(CLAIM_ORDER);
        }
        return claimed;
    }

    @Override
    public Map<EndpointId, EndpointStanding> recordAttempts(List<AttemptRecord> records) {
        if (records.isEmpty()) {
            return Map.of();
        }
        // Rows are locked in key order (deliveries by key, endpoints by id; a stable sort keeps one delivery's
        // attempts in order), as other writers do, so two batches on PostgreSQL never wait for each other in a cycle.
        var ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparingLong(AttemptRecord::deliveryKey));
        var deltas = new TreeMap<EndpointId, StatsDelta>(Comparator.comparingLong(EndpointId::value));
        for (var record : records) { // in the order the attempts finished: streaks and "last" values follow it
            deltas.computeIfAbsent(record.endpointId(), id -> new StatsDelta()).add(record);
        }
        List<DeliveryChange> changes = DeliveryChange.fold(ordered);
        if (dialect.recordAttemptsSql().isPresent()) {
            String sql = dialect.recordAttemptsSql().get();
            return tx.write("record attempts", c -> {
                var standings = recordAtOnce(c, sql, ordered, changes, deltas);
                attemptIndex.written(c, ordered.size());
                return standings;
            });
        }
        return tx.write("record attempts", c -> {
            try (var ps = c.prepareStatement(INSERT_ATTEMPT)) {
                var statuses = new SharedLongs(); // mostly one status, 200 (a new box each above 127)
                long previous = 0;
                for (var r : ordered) {
                    ps.setInt(1, r.number());
                    ps.setLong(2, Columns.millis(r.attemptedAt()));
                    ps.setLong(3, r.durationMillis());
                    statuses.bind(ps, 4, r.responseStatus());
                    ps.setString(5, truncate(r.responseBody()));
                    Columns.setText(ps, 6, r.errorClass().map(ErrorClass::wireName));
                    Columns.setText(ps, 7, r.errorMessage());
                    ps.setInt(8, r.deliveryKey() != previous ? 1 : 0);
                    ps.setLong(9, r.deliveryKey());
                    ps.addBatch();
                    previous = r.deliveryKey();
                }
                ps.executeBatch();
            }
            applyRowByRow(c, changes);
            holdIfCircuitOpen(c, ordered);
            applyStats(c, deltas);
            attemptIndex.written(c, ordered.size());
            return standingsOf(c, deltas);
        });
    }

    /**
     * What the statement-by-statement path above does, as the dialect's statements sent together in one round trip
     * and binding arrays: the deliveries to lock, the attempts in {@code ordered} order, the delivery changes, the
     * retried deliveries to hold if their circuit is open, the counters' deltas by endpoint id; the last result is the
     * standings.
     */
    private static Map<EndpointId, EndpointStanding> recordAtOnce(Connection c, String sql, List<AttemptRecord> ordered,
                                                                  List<DeliveryChange> changes,
                                                                  TreeMap<EndpointId, StatsDelta> deltas)
            throws SQLException {
        int n = ordered.size();
        var deliveryKeys = new Long[n];
        var numbers = new Long[n];
        var attemptedAt = new Long[n];
        var durations = new Long[n];
        var statuses = new Long[n];
        var bodies = new String[n];
        var errorClasses = new String[n];
        var errorMessages = new String[n];
        var firstOfDelivery = new Boolean[n];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            var r = ordered.get(i);
            deliveryKeys[i] = r.deliveryKey();
            numbers[i] = (long) r.number();
            attemptedAt[i] = Columns.millis(r.attemptedAt());
            durations[i] = r.durationMillis();
            statuses[i] = r.responseStatus().isPresent() ? (long) r.responseStatus().getAsInt() : null;
            bodies[i] = truncate(r.responseBody());
            errorClasses[i] = r.errorClass().map(ErrorClass::wireName).orElse(null);
            errorMessages[i] = r.errorMessage().orElse(null);
            firstOfDelivery[i] = r.deliveryKey() != previous;
            previous = r.deliveryKey();
        }
        int m = changes.size();
        var keys = new Long[m];
        var states = new String[m];
        var attempts = new Integer[m];
        var next = new Long[m];
        var failed = new Long[m];
        var updated = new Long[m];
        for (int i = 0; i < m; i++) {
            var change = changes.get(i);
            keys[i] = change.key();
            states[i] = change.state().wireName();
            attempts[i] = change.attempts();
            next[i] = change.nextAttemptAt().map(Columns::millis).orElse(null);
            failed[i] = change.failedAt().map(Columns::millis).orElse(null);
            updated[i] = Columns.millis(change.updatedAt());
        }
        Long[] retried = retriedKeys(ordered).toArray(Long[]::new);
        int e = deltas.size();
        var ids = new Long[e];
        var successes = new Long[e];
        var failures = new Long[e];
        var streakReset = new Boolean[e];
        var streak = new Long[e];
        var lastSuccessAt = new Long[e];
        var lastFailureAt = new Long[e];
        var lastAttemptAt = new Long[e];
        var lastError = new String[e];
        int j = 0;
        for (var entry : deltas.entrySet()) {
            var delta = entry.getValue();
            ids[j] = entry.getKey().value();
            successes[j] = delta.successes;
            failures[j] = delta.failures;
            streakReset[j] = delta.streakReset;
            streak[j] = delta.streak;
            lastSuccessAt[j] = delta.lastSuccessAt;
            lastFailureAt[j] = delta.lastFailureAt;
            lastAttemptAt[j] = delta.lastAttemptAt;
            lastError[j] = delta.lastError;
            j++;
        }
        try (var ps = c.prepareStatement(sql)) {
            int p = 1;
            ps.setArray(p++, c.createArrayOf("bigint", keys));
            ps.setArray(p++, c.createArrayOf("bigint", deliveryKeys));
            ps.setArray(p++, c.createArrayOf("bigint", numbers));
            ps.setArray(p++, c.createArrayOf("bigint", attemptedAt));
            ps.setArray(p++, c.createArrayOf("bigint", durations));
            ps.setArray(p++, c.createArrayOf("bigint", statuses));
            ps.setArray(p++, c.createArrayOf("text", bodies));
            ps.setArray(p++, c.createArrayOf("text", errorClasses));
            ps.setArray(p++, c.createArrayOf("text", errorMessages));
            ps.setArray(p++, c.createArrayOf("boolean", firstOfDelivery));
            ps.setArray(p++, c.createArrayOf("bigint", keys));
            ps.setArray(p++, c.createArrayOf("text", states));
            ps.setArray(p++, c.createArrayOf("integer", attempts));
            ps.setArray(p++, c.createArrayOf("bigint", next));
            ps.setArray(p++, c.createArrayOf("bigint", failed));
            ps.setArray(p++, c.createArrayOf("bigint", updated));
            ps.setArray(p++, c.createArrayOf("bigint", retried));
            ps.setArray(p++, c.createArrayOf("bigint", ids));
            ps.setArray(p++, c.createArrayOf("bigint", ids));
            ps.setArray(p++, c.createArrayOf("bigint", successes));
            ps.setArray(p++, c.createArrayOf("bigint", failures));
            ps.setArray(p++, c.createArrayOf("boolean", streakReset));
            ps.setArray(p++, c.createArrayOf("bigint", streak));
            ps.setArray(p++, c.createArrayOf("bigint", lastSuccessAt));
            ps.setArray(p++, c.createArrayOf("bigint", lastFailureAt));
            ps.setArray(p++, c.createArrayOf("bigint", lastAttemptAt));
            ps.setArray(p++, c.createArrayOf("text", lastError));
            ps.setArray(p, c.createArrayOf("bigint", ids));
            // the standings are the last result: step over the others (update counts and the locks' rows)
            boolean isResultSet = ps.execute();
            ResultSet last = null;
            while (isResultSet || ps.getUpdateCount() != -1) {
                if (isResultSet) {
                    last = ps.getResultSet();
                }
                isResultSet = ps.getMoreResults(java.sql.Statement.KEEP_CURRENT_RESULT);
            }
            if (last == null) {
                throw new SQLException("recording attempts answered no standings");
            }
            var standings = new HashMap<EndpointId, EndpointStanding>();
            try (var rs = last) {
                readStandings(rs, standings, deltas);
            }
            return Map.copyOf(standings);
        }
    }

    /** The deliveries of the batch that failed and are to be tried again: those a circuit that opened may hold. */
    private static List<Long> retriedKeys(List<AttemptRecord> ordered) {
        return ordered.stream().filter(r -> !r.succeeded() && r.newState() == DeliveryState.PENDING)
                .map(AttemptRecord::deliveryKey).distinct().toList();
    }

    /** Holds the pending delivery {@code key} if its endpoint's circuit is open and it is not the probe. */
    static void holdIfCircuitOpen(Connection c, long key) throws SQLException {
        try (var ps = c.prepareStatement(HOLD_IF_CIRCUIT_OPEN)) {
            ps.setLong(1, key);
            ps.executeUpdate();
        }
    }

    /** Only retries need the check; a batch without any (the common case) costs no statement. */
    private static void holdIfCircuitOpen(Connection c, List<AttemptRecord> ordered) throws SQLException {
        List<Long> retried = retriedKeys(ordered);
        if (retried.isEmpty()) {
            return;
        }
        try (var ps = c.prepareStatement(HOLD_IF_CIRCUIT_OPEN)) {
            for (long key : retried) {
                ps.setLong(1, key);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void applyRowByRow(Connection c, List<DeliveryChange> changes) throws SQLException {
        try (var ps = c.prepareStatement(APPLY_ATTEMPT)) {
            for (var change : changes) {
                ps.setString(1, change.state().wireName());
                ps.setInt(2, change.attempts());
                Columns.setInstant(ps, 3, change.nextAttemptAt());
                Columns.setInstant(ps, 4, change.failedAt());
                ps.setLong(5, Columns.millis(change.updatedAt()));
                ps.setLong(6, change.key());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Updates the counters in endpoint id order (the lock order), all statements in one JDBC batch. */
    private static void applyStats(Connection c, TreeMap<EndpointId, StatsDelta> deltas) throws SQLException {
        try (var ps = c.prepareStatement(APPLY_STATS)) {
            for (var entry : deltas.entrySet()) {
                var delta = entry.getValue();
                ps.setLong(1, delta.successes);
                ps.setLong(2, delta.failures);
                ps.setInt(3, delta.streakReset ? 1 : 0);
                ps.setLong(4, delta.streak);
                ps.setLong(5, delta.streak);
                Columns.setLong(ps, 6, Optional.ofNullable(delta.lastSuccessAt));
                Columns.setLong(ps, 7, Optional.ofNullable(delta.lastFailureAt));
                ps.setLong(8, delta.lastAttemptAt);
                Columns.setText(ps, 9, Optional.ofNullable(delta.lastError));
                ps.setLong(10, entry.getKey().value());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The counters, status and circuit of the endpoints the batch's {@code deltas} touched, as this transaction sees
     * them (one query, not one per endpoint), but for those {@link #readStandings} leaves out.
     */
    private static Map<EndpointId, EndpointStanding> standingsOf(Connection c, Map<EndpointId, StatsDelta> deltas)
            throws SQLException {
        var standings = new HashMap<EndpointId, EndpointStanding>();
        var ids = deltas.keySet().stream().map(EndpointId::value).toList();
        for (var chunk : SizedSql.inLists(ids)) {
            try (var ps = c.prepareStatement(STANDINGS_OF_SIZED.forList(chunk))) {
                SizedSql.bindPadded(ps, 1, chunk);
                try (var rs = ps.executeQuery()) {
                    readStandings(rs, standings, deltas);
                }
            }
        }
        return Map.copyOf(standings);
    }

    /**
     * Adds the standings of a result set's rows (the columns of STANDINGS_OF) to {@code into}, but for an active
     * endpoint with a closed circuit all of whose attempts in the batch delivered: nothing follows from it (see
     * {@link dev.herald.store.Deliveries#recordAttempts}), and reading its counters was most of what recording a
     * delivered attempt allocated after its own rows.
     */
    private static void readStandings(ResultSet rs, Map<EndpointId, EndpointStanding> into,
                                      Map<EndpointId, StatsDelta> deltas) throws SQLException {
        while (rs.next()) {
            var endpoint = new EndpointId(rs.getLong("endpoint_id"));
            EndpointStatus status = EndpointRows.STATUS.read(rs, "status");
            Circuit circuit = EndpointRows.CIRCUIT.read(rs, "circuit");
            StatsDelta delta = deltas.get(endpoint);
            if (status == EndpointStatus.ACTIVE && circuit == Circuit.CLOSED && delta != null && delta.failures == 0) {
                continue;
            }
            into.put(endpoint, new EndpointStanding(EndpointRows.stats(rs), status, circuit));
        }
    }

    @Override
    public Optional<Delivery> find(AccountId account, DeliveryId id) {
        return tx.read("find delivery", c -> {
            try (var ps = c.prepareStatement(BY_PUBLIC_ID)) {
                ps.setLong(1, account.value());
                ps.setString(2, id.value());
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(DeliveryRows.delivery(rs)) : Optional.<Delivery>empty();
                }
            }
        });
    }

    @Override
    public Optional<Delivery> findByKey(long deliveryKey) {
        return tx.read("find delivery by key", c -> {
            try (var ps = c.prepareStatement(BY_KEY)) {
                ps.setLong(1, deliveryKey);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(DeliveryRows.delivery(rs)) : Optional.<Delivery>empty();
                }
            }
        });
    }

    @Override
    public Page<Delivery> listForEndpoint(EndpointId endpoint, Optional<DeliveryState> state, PageRequest page) {
        return history.list(endpoint, new DeliveryHistory.Filter(state, Optional.empty(), Optional.empty()), page);
    }

    @Override
    public List<Attempt> attempts(long deliveryKey) {
        return tx.read("list attempts", c -> {
            try (var ps = c.prepareStatement(ATTEMPTS)) {
                ps.setLong(1, deliveryKey);
                var attempts = new ArrayList<Attempt>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attempts.add(attempt(rs));
                    }
                }
                return attempts;
            }
        });
    }

    @Override
    public Map<DeliveryState, Long> countByState(EndpointId endpoint) {
        return tx.read("count deliveries by state", c -> {
            var counts = new EnumMap<DeliveryState, Long>(DeliveryState.class);
            for (var state : DeliveryState.values()) {
                counts.put(state, 0L);
            }
            try (var ps = c.prepareStatement(COUNT_BY_STATE)) {
                ps.setLong(1, endpoint.value());
                ps.setLong(2, endpoint.value());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.put(DeliveryRows.STATE.read(rs, "state"), rs.getLong("n"));
                    }
                }
            }
            return counts;
        });
    }

    @Override
    public List<EventAttempt> attemptsOfEvent(AccountId account, EventId event) {
        return tx.read("list attempts of event", c -> {
            try (var ps = c.prepareStatement(ATTEMPTS_OF_EVENT)) {
                ps.setLong(1, account.value());
                ps.setString(2, event.value());
                var attempts = new ArrayList<EventAttempt>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attempts.add(eventAttempt(rs));
                    }
                }
                return attempts;
            }
        });
    }

    private static String endpointAttemptsPage(String timeBound, String keyBound, String direction) {
        String page = " AND attempted_at " + timeBound + " ? AND (attempted_at " + keyBound + " ? OR id " + keyBound
                + " ?)\n    ORDER BY attempted_at " + direction + ", id " + direction + " LIMIT ?";
        return EVENT_ATTEMPTS + "WHERE a.id IN (\n"
                + "SELECT id FROM (SELECT id FROM attempts WHERE endpoint_id = ? AND indexed = 1" + page + ") marked\n"
                + "UNION ALL\n"
                + "SELECT id FROM (SELECT id FROM attempts WHERE " + BulkIndex.aboveMark("attempts", "id")
                + " AND id <= (SELECT MAX(id) FROM attempts) AND +endpoint_id = ?" + page + ") recent)\n"
                + "ORDER BY a.attempted_at " + direction + ", a.id " + direction + " LIMIT ?";
    }

    @Override
    public Page<EventAttempt> attemptsOfEndpoint(EndpointId endpoint, PageRequest page, ListOrder order) {
        boolean newest = order == ListOrder.NEWEST_FIRST;
        return tx.read("list attempts of endpoint", c -> {
            // first page: past every attempt, in the listing's direction
            long time = newest ? Long.MAX_VALUE : -1;
            long key = newest ? Long.MAX_VALUE : 0;
            if (page.cursor().isPresent()) {
                long[] cursor = Cursors.timeAndKey(page.cursor().get());
                time = cursor[0] >= 0 ? cursor[0] : attemptedAt(c, cursor[1]);
                key = cursor[1];
            }
            try (var ps = c.prepareStatement(newest ? ATTEMPTS_OF_ENDPOINT_NEWEST : ATTEMPTS_OF_ENDPOINT_OLDEST)) {
                for (int branch = 0; branch < 2; branch++) {
                    int at = branch * 5;
                    ps.setLong(at + 1, endpoint.value());
                    ps.setLong(at + 2, time);
                    ps.setLong(at + 3, time);
                    ps.setLong(at + 4, key);
                    ps.setInt(at + 5, page.limit() + 1);
                }
                ps.setInt(11, page.limit() + 1);
                var attempts = new ArrayList<EventAttempt>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attempts.add(eventAttempt(rs));
                    }
                }
                if (attempts.size() <= page.limit()) {
                    return new Page<>(attempts, false, Optional.empty());
                }
                var shown = List.copyOf(attempts.subList(0, page.limit()));
                Attempt last = shown.getLast().attempt();
                return new Page<>(shown, true, Optional.of(Cursors.encode(Columns.millis(last.attemptedAt()),
                        last.id())));
            }
        });
    }

    /** The time of the attempt a one-key cursor names (a cursor given before the listing was by time). */
    private static long attemptedAt(Connection c, long attempt) throws SQLException {
        try (var ps = c.prepareStatement("SELECT attempted_at FROM attempts WHERE id = ?")) {
            ps.setLong(1, attempt);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new InvalidCursorException("invalid cursor: its attempt is gone", null);
                }
                return rs.getLong(1);
            }
        }
    }

    private static EventAttempt eventAttempt(ResultSet rs) throws SQLException {
        return new EventAttempt(attempt(rs), new EventId(rs.getString("event_public_id")));
    }

    private static Attempt attempt(ResultSet rs) throws SQLException {
        return new Attempt(rs.getLong("id"), rs.getLong("delivery_id"),
                new EndpointId(rs.getLong("endpoint_id")), Math.toIntExact(rs.getLong("number")),
                Columns.instant(rs, "attempted_at"), rs.getLong("duration_ms"),
                Columns.optionalInt(rs, "response_status"), rs.getString("response_body"),
                Columns.optionalText(rs, "error_class").flatMap(ErrorClass::fromWire),
                Columns.optionalText(rs, "error_message"), rs.getInt("manual") == 1);
    }

    /** Shared with endpoint deletion, which cancels in the same transaction. */
    static int cancelPending(Connection c, Dialect dialect, EndpointId endpoint, Instant now) throws SQLException {
        return byEndpoint(c, CANCEL_PENDING.sql(dialect), endpoint, now);
    }

    /**
     * What a status change does to the endpoint's pending deliveries, in the transaction that changed it: a pause
     * holds them, a disable cancels them, a resume from pause and the end of a circuit (failing → active) release
     * them. Returns how many it touched.
     */
    static int followStatus(Connection c, Dialect dialect, EndpointId endpoint, EndpointStatus from, EndpointStatus to,
                            Instant now) throws SQLException {
        return switch (to) {
            case PAUSED -> byEndpoint(c, HOLD.sql(dialect), endpoint, now);
            case DISABLED -> byEndpoint(c, CANCEL_PENDING.sql(dialect), endpoint, now);
            // failing → active closes the circuit: what it held goes out, each in its place
            case ACTIVE -> from == EndpointStatus.PAUSED || from == EndpointStatus.FAILING
                    ? byEndpoint(c, RELEASE.sql(dialect), endpoint, now) : 0;
            case FAILING -> from == EndpointStatus.PAUSED ? byEndpoint(c, RELEASE.sql(dialect), endpoint, now) : 0;
        };
    }

    /** Releases every held delivery of the endpoint, due since it was created; returns how many. */
    static int releaseHeld(Connection c, Dialect dialect, EndpointId endpoint, Instant now) throws SQLException {
        return byEndpoint(c, RELEASE.sql(dialect), endpoint, now);
    }

    /**
     * Holds the endpoint's pending deliveries except {@code probeKey}; returns how many. Where rows are locked, these
     * and the probe, which {@link #makeProbe} updates next, are locked first, together, in key order. (Should the
     * probe have finished meanwhile, the held delivery that probes instead is locked after them; a deadlock there is
     * one the server breaks, and the transaction runs again.)
     */
    static int holdAllBut(Connection c, Dialect dialect, EndpointId endpoint, long probeKey, Instant now)
            throws SQLException {
        DeliveriesUpdate.lockInKeyOrder(c, dialect, HOLD_ALL_BUT_AND_PROBE, endpoint.value(), probeKey);
        try (var ps = c.prepareStatement(HOLD_ALL_BUT.sql(dialect))) {
            ps.setLong(1, Columns.millis(now));
            ps.setLong(2, endpoint.value());
            ps.setLong(3, probeKey);
            return ps.executeUpdate();
        }
    }

    /**
     * Where rows are locked, locks the endpoint's pending deliveries in key order, for a transaction that changes them
     * in more than one statement (each would lock in key order, but the second after the first).
     */
    static void lockPending(Connection c, Dialect dialect, EndpointId endpoint) throws SQLException {
        DeliveriesUpdate.lockInKeyOrder(c, dialect, PENDING_OF_ENDPOINT, endpoint.value());
    }

    /** Makes sure the probe is due (now if it was held); false when it is no longer pending. */
    static boolean makeProbe(Connection c, long probeKey, Instant now) throws SQLException {
        try (var ps = c.prepareStatement(MAKE_PROBE)) {
            ps.setLong(1, Columns.millis(now));
            ps.setLong(2, Columns.millis(now));
            ps.setLong(3, probeKey);
            return ps.executeUpdate() == 1;
        }
    }

    /** The keys of the endpoint's {@code limit} oldest held deliveries; a FIFO endpoint's first in its order. */
    static List<Long> oldestHeld(Connection c, EndpointId endpoint, int limit, boolean fifo) throws SQLException {
        try (var ps = c.prepareStatement(fifo ? OLDEST_HELD_FIFO : OLDEST_HELD)) {
            ps.setLong(1, endpoint.value());
            ps.setInt(2, limit);
            var keys = new ArrayList<Long>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
            return keys;
        }
    }

    /**
     * Makes held deliveries due since they were created, so they keep their place among due work; one by one in key
     * order, as writers of many deliveries lock them (what is due when is the same in any order).
     */
    static void release(Connection c, List<Long> keys, Instant now) throws SQLException {
        try (var ps = c.prepareStatement(RELEASE_ONE)) {
            for (long key : keys.stream().sorted().toList()) {
                ps.setLong(1, Columns.millis(now));
                ps.setLong(2, key);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static boolean anyPending(Connection c, List<Long> keys) throws SQLException {
        if (keys.isEmpty()) {
            return false;
        }
        for (var chunk : SizedSql.inLists(keys)) {
            try (var ps = c.prepareStatement(PENDING_AMONG_SIZED.forList(chunk))) {
                SizedSql.bindPadded(ps, 1, chunk);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public int releaseStrayHeld(Instant now) {
        return tx.write("release stray held deliveries", c -> {
            try (var ps = c.prepareStatement(RELEASE_STRAY_HELD.sql(dialect))) {
                ps.setLong(1, Columns.millis(now));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long held(EndpointId endpoint) {
        return tx.read("count held deliveries", c -> {
            try (var ps = c.prepareStatement(HELD)) {
                ps.setLong(1, endpoint.value());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public long heldByCircuits() {
        return tx.read("count deliveries held by circuits", c -> {
            try (var ps = c.prepareStatement(HELD_BY_CIRCUITS); var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static int byEndpoint(Connection c, String sql, EndpointId endpoint, Instant now) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setLong(1, Columns.millis(now));
            ps.setLong(2, endpoint.value());
            return ps.executeUpdate();
        }
    }

    @Override
    public int holdAccount(AccountId account, Instant now) {
        return accountUpdate("hold account deliveries", HOLD_ACCOUNT, account, now);
    }

    @Override
    public int releaseAccount(AccountId account, Instant now) {
        return accountUpdate("release account deliveries", RELEASE_ACCOUNT, account, now);
    }

    private int accountUpdate(String what, DeliveriesUpdate update, AccountId account, Instant now) {
        return tx.write(what, c -> {
            try (var ps = c.prepareStatement(update.sql(dialect))) {
                ps.setLong(1, Columns.millis(now));
                ps.setLong(2, account.value());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean retryNow(long deliveryKey, Instant now) {
        return tx.write("retry delivery", c -> {
            try (var ps = c.prepareStatement(RETRY_NOW)) {
                ps.setLong(1, Columns.millis(now));
                ps.setLong(2, Columns.millis(now));
                ps.setLong(3, deliveryKey);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean markManual(long deliveryKey) {
        return tx.write("mark delivery manual", c -> {
            try (var ps = c.prepareStatement(MARK_MANUAL)) {
                ps.setLong(1, deliveryKey);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int requeueFailed(EndpointId endpoint, Instant since, Optional<Instant> until, Instant now) {
        return tx.write("requeue failed deliveries", c -> {
            try (var ps = c.prepareStatement(REQUEUE_FAILED.sql(dialect))) {
                ps.setLong(1, Columns.millis(now));
                ps.setLong(2, Columns.millis(now));
                for (int branch = 0; branch < 2; branch++) {
                    int at = 2 + branch * 3;
                    ps.setLong(at + 1, endpoint.value());
                    ps.setLong(at + 2, Columns.millis(since));
                    ps.setLong(at + 3, until.map(Columns::millis).orElse(Long.MAX_VALUE));
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int releaseLeases(String owner, Instant now) {
        return tx.write("release leases", c -> {
            try (var ps = c.prepareStatement(RELEASE_LEASES.sql(dialect))) {
                ps.setString(1, owner);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public QueueDepth depth(Instant now) {
        return tx.read("measure queue depth", c -> {
            try (var ps = c.prepareStatement(DEPTH)) {
                ps.setLong(1, Columns.millis(now));
                ps.setLong(2, Columns.millis(now));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return new QueueDepth(rs.getLong("due_now"), rs.getLong("scheduled"), rs.getLong("held"));
                }
            }
        });
    }

    @Override
    public int purgeFinishedBefore(Instant cutoff, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        long before = Columns.millis(cutoff);
        return tx.write("purge finished deliveries", c -> {
            int purged;
            try (var ps = c.prepareStatement(PURGE_ATTEMPTS)) {
                ps.setLong(1, before);
                ps.setInt(2, limit);
                purged = ps.executeUpdate();
            }
            try (var ps = c.prepareStatement(PURGE_PAYLOADS)) {
                ps.setLong(1, before);
                ps.setLong(2, before);
                ps.setInt(3, limit);
                purged += ps.executeUpdate();
            }
            return purged;
        });
    }

    private static String truncate(String body) {
        return body.length() <= Attempt.MAX_BODY_CHARS ? body : body.substring(0, Attempt.MAX_BODY_CHARS);
    }

    /** One endpoint's counter changes from a batch, folded in record order. */
    private static final class StatsDelta {
        private long successes;
        private long failures;
        private boolean streakReset;
        /** Failures since the batch's last success, or all of the batch's failures when it had none. */
        private long streak;
        private Long lastSuccessAt;
        private Long lastFailureAt;
        private long lastAttemptAt = Long.MIN_VALUE;
        private String lastError;

        void add(AttemptRecord r) {
            long at = Columns.millis(r.attemptedAt());
            lastAttemptAt = Math.max(lastAttemptAt, at);
            if (r.succeeded()) {
                successes++;
                streakReset = true;
                streak = 0;
                if (lastSuccessAt == null || at > lastSuccessAt) { // boxed only when it moves
                    lastSuccessAt = at;
                }
            } else {
                failures++;
                streak++;
                if (lastFailureAt == null || at > lastFailureAt) {
                    lastFailureAt = at;
                }
                lastError = r.errorMessage().orElseGet(() -> r.errorClass().orElseThrow().wireName());
            }
        }
    }
}

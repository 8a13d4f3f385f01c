package dev.herald.store.jdbc;

import dev.herald.core.account.AccountId;
import dev.herald.core.destination.BrokerCredentials;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointSecret;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.CircuitStep;
import dev.herald.store.EndpointChanges;
import dev.herald.store.Endpoints;
import dev.herald.store.ListOrder;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.StatusChange;
import dev.herald.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/** Endpoints, their secrets and counter rows over JDBC; deleted rows are filtered out of every query. */
final class JdbcEndpoints implements Endpoints {
    private static final String INSERT = """
            INSERT INTO endpoints (uuid, public_id, account_id, url, event_types, description, status, created_by,
                                   scope_key_id, rate_limit, headers, created_at, updated_at, type, config,
                                   config_secret, uid, metadata, channels, version, retry_schedule, ordering)
            VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id""";
    private static final String INSERT_SECRET = """
            INSERT INTO endpoint_secrets (endpoint_id, secret, created_at) VALUES (?, ?, ?) RETURNING id""";
    private static final String INSERT_STATS = "INSERT INTO endpoint_stats (endpoint_id) VALUES (?)";
    private static final String BY_ID = EndpointRows.SELECT
            + "WHERE e.id = ? AND e.account_id = ? AND e.deleted_at IS NULL";
    private static final String BY_UUID = EndpointRows.SELECT
            + "WHERE e.uuid = ? AND e.account_id = ? AND e.deleted_at IS NULL";
    private static final String BY_PUBLIC_ID = EndpointRows.SELECT
            + "WHERE e.public_id = ? AND e.account_id = ? AND e.deleted_at IS NULL";
    private static final String BY_UID = EndpointRows.SELECT
            + "WHERE e.uid = ? AND e.account_id = ? AND e.deleted_at IS NULL";
    /** An endpoint of an account that is not active is not delivered to, as if it did not exist. */
    private static final String FOR_DELIVERY = EndpointRows.SELECT + """
            WHERE e.id = ? AND e.deleted_at IS NULL
              AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id AND a.status = 'active')""";
    private static final String PAGE = EndpointRows.SELECT + "WHERE e.account_id = ? AND e.deleted_at IS NULL";
    private static final String FAN_OUT = EndpointRows.SELECT + """
            WHERE e.account_id = ? AND e.deleted_at IS NULL AND e.status <> 'disabled'
              AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id AND a.status = 'active')
            ORDER BY e.id""";
    /** Each column is written only when its flag is set, so a change never writes back a field it did not name. */
    private static final String UPDATE_FIELDS = """
            UPDATE endpoints SET url = CASE WHEN ? THEN ? ELSE url END,
                                 event_types = CASE WHEN ? THEN ? ELSE event_types END,
                                 description = CASE WHEN ? THEN ? ELSE description END,
                                 rate_limit = CASE WHEN ? THEN ? ELSE rate_limit END,
                                 headers = CASE WHEN ? THEN ? ELSE headers END,
                                 config = CASE WHEN ? THEN ? ELSE config END,
                                 config_secret = CASE WHEN ? THEN ? ELSE config_secret END,
                                 uid = CASE WHEN ? THEN ? ELSE uid END,
                                 metadata = CASE WHEN ? THEN ? ELSE metadata END,
                                 channels = CASE WHEN ? THEN ? ELSE channels END,
                                 version = CASE WHEN ? THEN ? ELSE version END,
                                 retry_schedule = CASE WHEN ? THEN ? ELSE retry_schedule END,
                                 ordering = CASE WHEN ? THEN ? ELSE ordering END,
                                 updated_at = ?
            WHERE id = ? AND account_id = ? AND deleted_at IS NULL""";
    private static final String CURRENT_STATUS = "SELECT status FROM endpoints WHERE id = ? AND deleted_at IS NULL";
    /** Compare-and-set on the status just read: a concurrent change makes it touch no row. */
    private static final String SWAP_STATUS = """
            UPDATE endpoints SET status = ?, updated_at = ?
            WHERE id = ? AND status = ? AND deleted_at IS NULL""";
    /** Reads of the status before giving up on a compare-and-set that keeps losing to other writers. */
    private static final int STATUS_TRIES = 3;
    private static final String SOFT_DELETE = """
            UPDATE endpoints SET deleted_at = ?, updated_at = ?
            WHERE id = ? AND account_id = ? AND deleted_at IS NULL""";
    private static final String ACTIVE_SECRETS = """
            SELECT s.id, s.endpoint_id, s.secret, s.created_at, s.expires_at
            FROM endpoint_secrets s JOIN endpoints e ON e.id = s.endpoint_id
            WHERE s.endpoint_id = ? AND e.deleted_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > ?)
            ORDER BY s.id DESC""";
    private static final String EXISTS = "SELECT 1 FROM endpoints WHERE id = ? AND deleted_at IS NULL";
    /** Never extends a secret that already expires sooner than the new overlap would. */
    private static final String EXPIRE_SECRETS = """
            UPDATE endpoint_secrets SET expires_at = ?
            WHERE endpoint_id = ? AND (expires_at IS NULL OR expires_at > ?)""";
    /** Any status but failing ends a circuit: paused and disabled endpoints hold or cancel on their own. */
    private static final String CLOSE_CIRCUIT = """
            UPDATE endpoints SET circuit = 'closed', circuit_probe = NULL, circuit_ramp = 0, circuit_round = NULL
            WHERE id = ?""";
    private static final String CLOSE_OPEN_CIRCUIT = """
            UPDATE endpoints SET circuit = 'closed', circuit_probe = NULL, circuit_ramp = 0, circuit_round = NULL
            WHERE id = ? AND circuit <> 'closed'""";
    private static final String CIRCUIT_OF = """
            SELECT status, circuit, circuit_probe, circuit_ramp, circuit_round, ordering FROM endpoints
            WHERE id = ? AND deleted_at IS NULL""";
    /** Compare-and-set: a failing endpoint's half-open circuit opens, a closed one only after a streak. */
    private static final String OPEN_CIRCUIT = """
            UPDATE endpoints SET circuit = 'open', circuit_probe = ?, circuit_ramp = 0, circuit_round = NULL
            WHERE id = ? AND status = 'failing' AND deleted_at IS NULL
              AND (circuit = 'half_open' OR (circuit = 'closed' AND ?))""";
    /** Compare-and-set on the state and width just read: of two nodes taking the same step, one does. */
    private static final String RAMP_CIRCUIT = """
            UPDATE endpoints SET circuit = 'half_open', circuit_probe = NULL, circuit_ramp = ?, circuit_round = ?
            WHERE id = ? AND status = 'failing' AND circuit = ? AND circuit_ramp = ? AND deleted_at IS NULL""";
    private static final String SET_PROBE = """
            UPDATE endpoints SET circuit_probe = ? WHERE id = ? AND circuit = 'open' AND deleted_at IS NULL""";
    /**
     * An open circuit's probe can go out: it is pending and, on a FIFO endpoint, nothing held waits ahead of it (a
     * failed delivery retried by hand while the circuit was open goes out as the head, and when it fails again it is
     * held as everything but the probe is, blocking the probe behind it).
     */
    private static final String PROBE_MOVES = """
            EXISTS (SELECT 1 FROM deliveries p WHERE p.id = e.circuit_probe AND p.state = 'pending')
            AND NOT EXISTS (SELECT 1 FROM deliveries p
                            WHERE p.id = e.circuit_probe AND p.sequence IS NOT NULL
                              AND EXISTS (%s AND ahead.next_attempt_at IS NULL))"""
            .formatted(FifoSequences.pendingAhead("p"));
    private static final String PROBE_MOVES_OF = "SELECT 1 FROM endpoints e WHERE e.id = ? AND " + PROBE_MOVES;
    /**
     * Circuits nothing is left to move on: an open one whose probe cannot go out ({@link #PROBE_MOVES}), a half-open
     * one with no delivery a claim could take (a FIFO endpoint's due delivery counts only as its head: one stored due
     * while the circuit held the rest, behind a held head, would otherwise leave the circuit waiting for it for ever).
     */
    private static final String STALLED_CIRCUITS = """
            SELECT e.id, e.circuit FROM endpoints e
            WHERE e.deleted_at IS NULL
              AND ((e.circuit = 'open' AND NOT (%s))
                OR (e.circuit = 'half_open'
                    AND NOT EXISTS (SELECT 1 FROM deliveries d
                                    WHERE d.endpoint_id = e.id AND d.state = 'pending'
                                      AND d.next_attempt_at IS NOT NULL
                                      AND (d.sequence IS NULL OR NOT EXISTS (%s)))))
            ORDER BY e.id""".formatted(PROBE_MOVES, FifoSequences.pendingAhead("d"));
    private static final String COUNT_BY_CIRCUIT = """
            SELECT circuit, COUNT(*) AS n FROM endpoints WHERE deleted_at IS NULL GROUP BY circuit""";
    private static final String COUNT_BY_STATUS = """
            SELECT status, COUNT(*) AS n FROM endpoints WHERE deleted_at IS NULL GROUP BY status""";

    private final Transactions tx;
    private final Dialect dialect;

    JdbcEndpoints(Transactions tx, Dialect dialect) {
        this.tx = tx;
        this.dialect = dialect;
    }

    @Override
    public Endpoint create(NewEndpoint endpoint, Instant now) {
        var uuid = UUID.randomUUID();
        var publicId = WebhookId.generate();
        Instant createdAt = Columns.truncated(now);
        return tx.write("create endpoint", c -> {
            long id;
            try (var ps = c.prepareStatement(INSERT)) {
                ps.setString(1, uuid.toString());
                ps.setString(2, publicId.value());
                ps.setLong(3, endpoint.accountId().value());
                ps.setString(4, endpoint.url());
                ps.setString(5, EndpointRows.json(endpoint.eventTypes()));
                Columns.setText(ps, 6, endpoint.description());
                ps.setLong(7, endpoint.createdBy().value());
                Columns.setLong(ps, 8, endpoint.scopeKey().map(k -> k.value()));
                Columns.setInt(ps, 9, endpoint.rateLimit());
                ps.setString(10, EndpointRows.json(endpoint.headers()));
                ps.setLong(11, Columns.millis(createdAt));
                ps.setLong(12, Columns.millis(createdAt));
                ps.setString(13, endpoint.destination().type().wireName());
                ps.setString(14, EndpointRows.json(endpoint.destination().config()));
                Columns.setText(ps, 15, endpoint.destination().credentials().map(BrokerCredentials::userInfo));
                Columns.setText(ps, 16, endpoint.profile().uid());
                ps.setString(17, EndpointRows.json(endpoint.profile().metadata()));
                ps.setString(18, EndpointRows.json(endpoint.profile().channels()));
                ps.setLong(19, endpoint.profile().version());
                Columns.setText(ps, 20, endpoint.retrySchedule().map(EndpointRows::delaysJson));
                ps.setString(21, endpoint.ordering().wireName());
                id = returnedKey(ps);
            }
            insertSecret(c, id, endpoint.secret(), createdAt);
            try (var ps = c.prepareStatement(INSERT_STATS)) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            return new Endpoint(new EndpointId(id), uuid, publicId, endpoint.accountId(), endpoint.url(),
                    endpoint.eventTypes(), endpoint.description(), EndpointStatus.ACTIVE, endpoint.createdBy(),
                    endpoint.scopeKey(), endpoint.rateLimit(), endpoint.headers(), createdAt, createdAt,
                    EndpointStats.EMPTY, endpoint.destination(), endpoint.profile(), endpoint.retrySchedule(),
                    Circuit.CLOSED, endpoint.ordering());
        });
    }

    @Override
    public Optional<Endpoint> find(AccountId account, EndpointId id) {
        return tx.read("find endpoint", c -> select(c, BY_ID, ps -> {
            ps.setLong(1, id.value());
            ps.setLong(2, account.value());
        }));
    }

    @Override
    public Optional<Endpoint> findByUuid(AccountId account, UUID uuid) {
        return tx.read("find endpoint by uuid", c -> select(c, BY_UUID, ps -> {
            ps.setString(1, uuid.toString());
            ps.setLong(2, account.value());
        }));
    }

    @Override
    public Optional<Endpoint> findByPublicId(AccountId account, WebhookId id) {
        return tx.read("find endpoint by public id", c -> select(c, BY_PUBLIC_ID, ps -> {
            ps.setString(1, id.value());
            ps.setLong(2, account.value());
        }));
    }

    @Override
    public Optional<Endpoint> findByUid(AccountId account, String uid) {
        return tx.read("find endpoint by uid", c -> select(c, BY_UID, ps -> {
            ps.setString(1, uid);
            ps.setLong(2, account.value());
        }));
    }

    @Override
    public Optional<Endpoint> findForDelivery(EndpointId id) {
        return tx.read("find endpoint for delivery", c -> select(c, FOR_DELIVERY, ps -> ps.setLong(1, id.value())));
    }

    @Override
    public Page<Endpoint> list(AccountId account, PageRequest page, ListOrder order) {
        long bound = Cursors.bound(page.cursor(), order);
        return tx.read("list endpoints", c -> {
            try (var ps = c.prepareStatement(PAGE + Cursors.keyset("e.id", order))) {
                ps.setLong(1, account.value());
                ps.setLong(2, bound);
                ps.setInt(3, page.limit() + 1);
                var items = new ArrayList<Endpoint>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(EndpointRows.endpoint(rs));
                    }
                }
                if (items.size() <= page.limit()) {
                    return new Page<>(items, false, Optional.empty());
                }
                var shown = items.subList(0, page.limit());
                return new Page<>(shown, true, Optional.of(Cursors.encode(shown.getLast().id().value())));
            }
        });
    }

    @Override
    public Map<EndpointStatus, Long> countByStatus() {
        return tx.read("count endpoints by status", c -> {
            var counts = new EnumMap<EndpointStatus, Long>(EndpointStatus.class);
            for (var status : EndpointStatus.values()) {
                counts.put(status, 0L);
            }
            try (var ps = c.prepareStatement(COUNT_BY_STATUS); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(EndpointRows.STATUS.read(rs, "status"), rs.getLong("n"));
                }
            }
            return Map.copyOf(counts);
        });
    }

    @Override
    public List<Endpoint> candidatesForFanOut(AccountId account) {
        return tx.read("list fan-out candidates", c -> {
            try (var ps = c.prepareStatement(FAN_OUT)) {
                ps.setLong(1, account.value());
                var endpoints = new ArrayList<Endpoint>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        endpoints.add(EndpointRows.endpoint(rs));
                    }
                }
                return endpoints;
            }
        });
    }

    @Override
    public Optional<Endpoint> update(AccountId account, EndpointId id, EndpointChanges changes, Instant now) {
        return tx.write("update endpoint", c -> {
            try (var ps = c.prepareStatement(UPDATE_FIELDS)) {
                ps.setBoolean(1, changes.url().isPresent());
                ps.setString(2, changes.url().orElse(null));
                ps.setBoolean(3, changes.eventTypes().isPresent());
                ps.setString(4, changes.eventTypes().map(EndpointRows::json).orElse(null));
                ps.setBoolean(5, changes.description().isPresent());
                Columns.setText(ps, 6, changes.description().flatMap(d -> d));
                ps.setBoolean(7, changes.rateLimit().isPresent());
                Columns.setInt(ps, 8, changes.rateLimit().orElse(OptionalInt.empty()));
                ps.setBoolean(9, changes.headers().isPresent());
                ps.setString(10, changes.headers().map(EndpointRows::json).orElse(null));
                ps.setBoolean(11, changes.destination().isPresent());
                ps.setString(12, changes.destination().map(d -> EndpointRows.json(d.config())).orElse(null));
                ps.setBoolean(13, changes.destination().isPresent());
                Columns.setText(ps, 14, changes.destination().flatMap(Destination::credentials)
                        .map(BrokerCredentials::userInfo));
                var profile = changes.profile();
                ps.setBoolean(15, profile.isPresent());
                Columns.setText(ps, 16, profile.flatMap(EndpointProfile::uid));
                ps.setBoolean(17, profile.isPresent());
                ps.setString(18, profile.map(p -> EndpointRows.json(p.metadata())).orElse(null));
                ps.setBoolean(19, profile.isPresent());
                ps.setString(20, profile.map(p -> EndpointRows.json(p.channels())).orElse(null));
                ps.setBoolean(21, profile.isPresent());
                ps.setLong(22, profile.map(EndpointProfile::version).orElse(1));
                ps.setBoolean(23, changes.retrySchedule().isPresent());
                Columns.setText(ps, 24, changes.retrySchedule().flatMap(d -> d).map(EndpointRows::delaysJson));
                ps.setBoolean(25, changes.ordering().isPresent());
                ps.setString(26, changes.ordering().map(Ordering::wireName).orElse(null));
                ps.setLong(27, Columns.millis(now));
                ps.setLong(28, id.value());
                ps.setLong(29, account.value());
                if (ps.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            if ((changes.url().isPresent() || changes.destination().isPresent()) && closeOpenCircuit(c, id)) {
                if (changes.status().isPresent()) {
                    // two changes of the endpoint's deliveries follow: their rows locked once, in key order
                    JdbcDeliveries.lockPending(c, dialect, id);
                }
                // what the old address taught says nothing about the new one: what the circuit held goes out
                JdbcDeliveries.releaseHeld(c, dialect, id, now);
            }
            if (changes.status().isPresent()) {
                EndpointStatus to = changes.status().get();
                changeStatus(c, dialect, id, EnumSet.complementOf(EnumSet.of(to)), to, now);
            }
            return select(c, BY_ID, ps -> {
                ps.setLong(1, id.value());
                ps.setLong(2, account.value());
            });
        });
    }

    @Override
    public Optional<StatusChange> changeStatus(EndpointId id, Set<EndpointStatus> from, EndpointStatus to,
                                               Instant now) {
        return tx.write("change endpoint status", c -> changeStatus(c, dialect, id, from, to, now));
    }

    private static Optional<StatusChange> changeStatus(Connection c, Dialect dialect, EndpointId id,
                                                       Set<EndpointStatus> from, EndpointStatus to, Instant now)
            throws SQLException {
        for (int tried = 0; tried < STATUS_TRIES; tried++) {
            Optional<EndpointStatus> current = currentStatus(c, id);
            if (current.isEmpty() || current.get() == to || !from.contains(current.get())) {
                return Optional.empty();
            }
            try (var ps = c.prepareStatement(SWAP_STATUS)) {
                ps.setString(1, to.wireName());
                ps.setLong(2, Columns.millis(now));
                ps.setLong(3, id.value());
                ps.setString(4, current.get().wireName());
                if (ps.executeUpdate() == 1) {
                    if (to != EndpointStatus.FAILING) {
                        closeCircuit(c, id);
                    }
                    int affected = JdbcDeliveries.followStatus(c, dialect, id, current.get(), to, now);
                    return Optional.of(new StatusChange(current.get(), to, affected));
                }
            }
        }
        return Optional.empty();
    }

    /** Closes the circuit if it is not closed; true when it was open or half-open. */
    private static boolean closeOpenCircuit(Connection c, EndpointId id) throws SQLException {
        try (var ps = c.prepareStatement(CLOSE_OPEN_CIRCUIT)) {
            ps.setLong(1, id.value());
            return ps.executeUpdate() == 1;
        }
    }

    private static void closeCircuit(Connection c, EndpointId id) throws SQLException {
        try (var ps = c.prepareStatement(CLOSE_CIRCUIT)) {
            ps.setLong(1, id.value());
            ps.executeUpdate();
        }
    }

    /** The stored circuit of an endpoint, as the steps below read it before their compare-and-set. */
    private record CircuitRow(EndpointStatus status, Circuit circuit, Optional<Long> probe, int ramp,
                              Optional<String> round, boolean fifo) {
    }

    private static Optional<CircuitRow> circuitOf(Connection c, EndpointId id) throws SQLException {
        try (var ps = c.prepareStatement(CIRCUIT_OF)) {
            ps.setLong(1, id.value());
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CircuitRow(EndpointRows.STATUS.read(rs, "status"),
                        EndpointRows.CIRCUIT.read(rs, "circuit"),
                        Columns.optionalLong(rs, "circuit_probe"), Math.toIntExact(rs.getLong("circuit_ramp")),
                        Columns.optionalText(rs, "circuit_round"),
                        Ordering.FIFO.wireName().equals(rs.getString("ordering"))));
            }
        }
    }

    @Override
    public Optional<CircuitStep> openCircuit(EndpointId id, long probeKey, boolean streak, Instant now) {
        return tx.write("open endpoint circuit", c -> {
            try (var ps = c.prepareStatement(OPEN_CIRCUIT)) {
                ps.setLong(1, probeKey);
                ps.setLong(2, id.value());
                ps.setBoolean(3, streak);
                if (ps.executeUpdate() == 0) {
                    return Optional.<CircuitStep>empty();
                }
            }
            int held = JdbcDeliveries.holdAllBut(c, dialect, id, probeKey, now);
            if (!JdbcDeliveries.makeProbe(c, probeKey, now)) {
                // the probe finished meanwhile (another node recorded it): the oldest held one probes instead
                newProbe(c, id, circuitOf(c, id).map(CircuitRow::fifo).orElse(false), now);
            }
            return Optional.of(new CircuitStep(Circuit.OPEN, held));
        });
    }

    @Override
    public Optional<CircuitStep> advanceCircuit(EndpointId id, int maxWidth, Instant now) {
        if (maxWidth < 1) {
            throw new IllegalArgumentException("maxWidth must be positive");
        }
        return tx.write("advance endpoint circuit", c -> {
            Optional<CircuitRow> row = circuitOf(c, id);
            if (row.isEmpty() || row.get().status() != EndpointStatus.FAILING) {
                return Optional.<CircuitStep>empty();
            }
            CircuitRow current = row.get();
            if (current.circuit() == Circuit.CLOSED) {
                return close(c, id, now); // failing without a circuit (it held nothing, or was moved): active again
            }
            int width;
            if (current.circuit() == Circuit.OPEN) {
                width = 1;
            } else {
                List<Long> round = current.round().map(EndpointRows::keys).orElse(List.of());
                if (JdbcDeliveries.anyPending(c, round)) {
                    return Optional.<CircuitStep>empty(); // this step of the ramp is still under way
                }
                if (current.ramp() >= maxWidth) {
                    return close(c, id, now);
                }
                width = Math.min(maxWidth, current.ramp() * 2);
            }
            List<Long> released = JdbcDeliveries.oldestHeld(c, id, width, current.fifo());
            if (released.isEmpty()) {
                return close(c, id, now);
            }
            try (var ps = c.prepareStatement(RAMP_CIRCUIT)) {
                ps.setInt(1, width);
                ps.setString(2, EndpointRows.json(released));
                ps.setLong(3, id.value());
                ps.setString(4, current.circuit().wireName());
                ps.setInt(5, current.ramp());
                if (ps.executeUpdate() == 0) {
                    return Optional.<CircuitStep>empty();
                }
            }
            JdbcDeliveries.release(c, released, now);
            return Optional.of(new CircuitStep(Circuit.HALF_OPEN, released.size()));
        });
    }

    /** The ramp is done: failing → active, which closes the circuit and releases what is still held. */
    private Optional<CircuitStep> close(Connection c, EndpointId id, Instant now) throws SQLException {
        return changeStatus(c, dialect, id, EnumSet.of(EndpointStatus.FAILING), EndpointStatus.ACTIVE, now)
                .map(change -> new CircuitStep(Circuit.CLOSED, change.deliveriesAffected()));
    }

    @Override
    public Optional<CircuitStep> reprobeCircuit(EndpointId id, Instant now) {
        return tx.write("choose a new circuit probe", c -> {
            Optional<CircuitRow> row = circuitOf(c, id);
            if (row.isEmpty() || row.get().circuit() != Circuit.OPEN) {
                return Optional.<CircuitStep>empty();
            }
            if (probeMoves(c, id)) {
                return Optional.<CircuitStep>empty();
            }
            CircuitStep step = newProbe(c, id, row.get().fifo(), now);
            if (row.get().fifo() && step.circuit() == Circuit.OPEN && row.get().probe().isPresent()) {
                // the probe replaced was pending behind a held delivery: held now behind the new probe, it goes out
                // in its place in the circuit's steps, not as the head should the new probe fail for good
                JdbcDeliveries.holdIfCircuitOpen(c, row.get().probe().get());
            }
            return Optional.of(step);
        });
    }

    @Override
    public Map<EndpointId, Circuit> stalledCircuits() {
        return tx.read("find stalled circuits", c -> {
            var stalled = new LinkedHashMap<EndpointId, Circuit>();
            try (var ps = c.prepareStatement(STALLED_CIRCUITS); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    stalled.put(new EndpointId(rs.getLong(1)), EndpointRows.CIRCUIT.read(rs, 2));
                }
            }
            return Collections.unmodifiableMap(stalled);
        });
    }

    private static boolean probeMoves(Connection c, EndpointId id) throws SQLException {
        try (var ps = c.prepareStatement(PROBE_MOVES_OF)) {
            ps.setLong(1, id.value());
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The oldest held delivery becomes the probe, due now; with none held the circuit closes. */
    private static CircuitStep newProbe(Connection c, EndpointId id, boolean fifo, Instant now) throws SQLException {
        List<Long> oldest = JdbcDeliveries.oldestHeld(c, id, 1, fifo);
        if (oldest.isEmpty()) {
            closeCircuit(c, id);
            return new CircuitStep(Circuit.CLOSED, 0);
        }
        try (var ps = c.prepareStatement(SET_PROBE)) {
            ps.setLong(1, oldest.getFirst());
            ps.setLong(2, id.value());
            ps.executeUpdate();
        }
        JdbcDeliveries.release(c, oldest, now);
        return new CircuitStep(Circuit.OPEN, 1);
    }

    @Override
    public Map<Circuit, Long> countByCircuit() {
        return tx.read("count endpoints by circuit", c -> {
            var counts = new EnumMap<Circuit, Long>(Circuit.class);
            for (var circuit : Circuit.values()) {
                counts.put(circuit, 0L);
            }
            try (var ps = c.prepareStatement(COUNT_BY_CIRCUIT); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(EndpointRows.CIRCUIT.read(rs, "circuit"), rs.getLong("n"));
                }
            }
            return Map.copyOf(counts);
        });
    }

    private static Optional<EndpointStatus> currentStatus(Connection c, EndpointId id) throws SQLException {
        try (var ps = c.prepareStatement(CURRENT_STATUS)) {
            ps.setLong(1, id.value());
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(EndpointRows.STATUS.read(rs, "status"));
            }
        }
    }

    @Override
    public boolean delete(AccountId account, EndpointId id, Instant now) {
        return tx.write("delete endpoint", c -> {
            try (var ps = c.prepareStatement(SOFT_DELETE)) {
                ps.setLong(1, Columns.millis(now));
                ps.setLong(2, Columns.millis(now));
                ps.setLong(3, id.value());
                ps.setLong(4, account.value());
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            JdbcDeliveries.cancelPending(c, dialect, id, now);
            return true;
        });
    }

    @Override
    public List<EndpointSecret> activeSecrets(EndpointId id, Instant now) {
        return tx.read("list endpoint secrets", c -> {
            try (var ps = c.prepareStatement(ACTIVE_SECRETS)) {
                ps.setLong(1, id.value());
                ps.setLong(2, Columns.millis(now));
                var secrets = new ArrayList<EndpointSecret>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        secrets.add(new EndpointSecret(rs.getLong("id"), new EndpointId(rs.getLong("endpoint_id")),
                                new SigningSecret(rs.getString("secret")), Columns.instant(rs, "created_at"),
                                Columns.optionalInstant(rs, "expires_at")));
                    }
                }
                return secrets;
            }
        });
    }

    @Override
    public EndpointSecret rotateSecret(EndpointId id, SigningSecret secret, Duration overlap, Instant now) {
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("overlap must not be negative");
        }
        Instant createdAt = Columns.truncated(now);
        long oldExpiry = Columns.millis(now.plus(overlap));
        return tx.write("rotate endpoint secret", c -> {
            try (var ps = c.prepareStatement(EXISTS)) {
                ps.setLong(1, id.value());
                try (var rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException("store: cannot rotate the secret of endpoint " + id
                                + ": it does not exist");
                    }
                }
            }
            try (var ps = c.prepareStatement(EXPIRE_SECRETS)) {
                ps.setLong(1, oldExpiry);
                ps.setLong(2, id.value());
                ps.setLong(3, oldExpiry);
                ps.executeUpdate();
            }
            long secretId = insertSecret(c, id.value(), secret, createdAt);
            return new EndpointSecret(secretId, id, secret, createdAt, Optional.empty());
        });
    }

    private static long insertSecret(Connection c, long endpointId, SigningSecret secret, Instant createdAt)
            throws SQLException {
        try (var ps = c.prepareStatement(INSERT_SECRET)) {
            ps.setLong(1, endpointId);
            ps.setString(2, secret.value());
            ps.setLong(3, Columns.millis(createdAt));
            return returnedKey(ps);
        }
    }

    private static long returnedKey(PreparedStatement ps) throws SQLException {
        try (var rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Optional<Endpoint> select(Connection c, String sql, Binder binder) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(EndpointRows.endpoint(rs)) : Optional.empty();
            }
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }
}

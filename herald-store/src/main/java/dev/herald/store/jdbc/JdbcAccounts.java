package dev.herald.store.jdbc;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.AccountStatus;
import dev.herald.store.Accounts;
import dev.herald.store.StoreException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Accounts over JDBC. */
final class JdbcAccounts implements Accounts {
    private static final String INSERT = """
            INSERT INTO accounts (uuid, name, created_at, uid, metadata) VALUES (?, ?, ?, ?, ?) RETURNING id""";
    private static final String UID_TAKEN = "SELECT 1 FROM accounts WHERE uid = ?";
    private static final String UID_TAKEN_BY_OTHER = "SELECT 1 FROM accounts WHERE uid = ? AND id <> ?";
    private static final String UPDATE_PROFILE = """
            UPDATE accounts SET name = ?, uid = ?, metadata = ? WHERE id = ? AND status <> 'deleted'""";
    private static final String SELECT = "SELECT id, uuid, name, created_at, status, uid, metadata FROM accounts";
    private static final String VISIBLE = " AND status <> 'deleted'";
    private static final String BY_ID_ANY_STATUS = SELECT + " WHERE id = ?";
    private static final String BY_ID = BY_ID_ANY_STATUS + VISIBLE;
    private static final String BY_UUID = SELECT + " WHERE uuid = ?" + VISIBLE;
    private static final String BY_UID = SELECT + " WHERE uid = ?" + VISIBLE;
    private static final String ALL = SELECT + " WHERE status <> 'deleted' ORDER BY id";
    private static final String DELETED = "SELECT id FROM accounts WHERE status = 'deleted' ORDER BY id";
    private static final String SET_STATUS = """
            UPDATE accounts SET status = ? WHERE id = ? AND status <> ? AND status <> 'deleted'""";

    /**
     * One statement of the purge: {@code idMarkers} markers bound to the account id, then (with {@code bindsNow})
     * one to now, then (with {@code bindsLimit}) the LIMIT.
     */
    private record PurgeStep(String sql, int idMarkers, boolean bindsNow, boolean bindsLimit) {
    }

    /** The ids of the deliveries to the account's endpoints, binding the account twice (see BulkIndex#idsOf). */
    private static final String ACCOUNT_DELIVERY_IDS = BulkIndex.idsOf("deliveries",
            "endpoint_id IN (SELECT id FROM endpoints WHERE account_id = ?)");
    /**
     * Endpoint {@code e} has no delivery, indexed or above the mark (see BulkIndex): the endpoints with deliveries
     * above the mark are read once per statement (a correlated test would walk those rows once per endpoint).
     */
    private static final String NO_DELIVERIES = """
            NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.endpoint_id = e.id AND d.indexed = 1)
                  AND e.id NOT IN (SELECT d.endpoint_id FROM deliveries d WHERE\s"""
            + BulkIndex.aboveMark("deliveries", "d.id") + ")\n";

    /**
     * The purge of a deleted account, children first so no foreign key is ever violated: the attempts, then the
     * deliveries ({@link #purgeDeliveries}), then {@link #AFTER_DELIVERIES}. Deliveries leased until after now may
     * have an attempt in flight whose row is about to be written, so they stay, and so do the endpoint, counters,
     * event and keys they refer to, until a later batch. Rows are found through indexed columns: deliveries by
     * endpoint and event, events and endpoints by account.
     */
    private static final PurgeStep ATTEMPTS = new PurgeStep("""
            DELETE FROM attempts WHERE id IN (
                SELECT a.id FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
                WHERE d.id IN (
            """ + ACCOUNT_DELIVERY_IDS + """
                )
                  AND (d.lease_until IS NULL OR d.lease_until <= ?)
                LIMIT ?)""", 2, true, true);
    /**
     * The deliveries to delete, locked on PostgreSQL in key order (the order recording attempts, the claims and the
     * give-back lock them in): recording an attempt locks its delivery before inserting it, so an attempt committed
     * while this waited is seen by {@link #DELETE_DELIVERIES}' own snapshot, and none is inserted for a delivery this
     * deletes, with or without the attempts' foreign key to their delivery (which a later migration may drop; V16).
     */
    private static final String DELIVERIES_TO_PURGE = """
            SELECT d.id FROM deliveries d
            WHERE d.id IN (
            """ + ACCOUNT_DELIVERY_IDS + """
            )
              AND (d.lease_until IS NULL OR d.lease_until <= ?)
              AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.delivery_id = d.id)
            ORDER BY d.id
            LIMIT ?""";
    private static final SizedSql DELETE_DELIVERIES = SizedSql.list("""
            DELETE FROM deliveries
            WHERE id IN (%s) AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.delivery_id = deliveries.id)""");
    private static final List<PurgeStep> AFTER_DELIVERIES = List.of(new PurgeStep("""
            DELETE FROM events WHERE id IN (
                SELECT e.id FROM events e
                WHERE e.account_id = ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
                LIMIT ?)""", 1, false, true), new PurgeStep("""
            DELETE FROM idempotency_records WHERE account_id = ? AND (scope, idem_key) IN (
                SELECT scope, idem_key FROM idempotency_records WHERE account_id = ? LIMIT ?)""", 2, false, true),
            new PurgeStep("""
            DELETE FROM endpoint_secrets WHERE id IN (
                SELECT s.id FROM endpoint_secrets s JOIN endpoints e ON e.id = s.endpoint_id
                WHERE e.account_id = ?
                LIMIT ?)""", 1, false, true), new PurgeStep("""
            DELETE FROM endpoint_stats WHERE endpoint_id IN (
                SELECT e.id FROM endpoints e
                WHERE e.account_id = ?
                  AND\s""" + NO_DELIVERIES + """
                LIMIT ?)""", 1, false, true), new PurgeStep("""
            DELETE FROM endpoints WHERE id IN (
                SELECT e.id FROM endpoints e
                WHERE e.account_id = ?
                  AND\s""" + NO_DELIVERIES + """
                  AND NOT EXISTS (SELECT 1 FROM endpoint_stats s WHERE s.endpoint_id = e.id)
                  AND NOT EXISTS (SELECT 1 FROM endpoint_secrets s WHERE s.endpoint_id = e.id)
                LIMIT ?)""", 1, false, true), new PurgeStep("""
            DELETE FROM event_types WHERE account_id = ? AND name IN (
                SELECT name FROM event_types WHERE account_id = ? LIMIT ?)""", 2, false, true), new PurgeStep("""
            DELETE FROM api_keys WHERE id IN (
                SELECT k.id FROM api_keys k
                WHERE k.account_id = ?
                  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.account_id = k.account_id)
                  AND NOT EXISTS (SELECT 1 FROM endpoints e WHERE e.account_id = k.account_id)
                LIMIT ?)""", 1, false, true), new PurgeStep("""
            DELETE FROM accounts WHERE id = ? AND status = 'deleted'
              AND NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.account_id = accounts.id)
              AND NOT EXISTS (SELECT 1 FROM event_types t WHERE t.account_id = accounts.id)
              AND NOT EXISTS (SELECT 1 FROM endpoints e WHERE e.account_id = accounts.id)
              AND NOT EXISTS (SELECT 1 FROM events e WHERE e.account_id = accounts.id)
              AND NOT EXISTS (SELECT 1 FROM idempotency_records r WHERE r.account_id = accounts.id)""",
            1, false, false));

    private final Transactions tx;
    private final String deliveriesToPurge;

    JdbcAccounts(Transactions tx, Dialect dialect) {
        this.tx = tx;
        this.deliveriesToPurge = DELIVERIES_TO_PURGE + dialect.lockRows();
    }

    @Override
    public Optional<Account> create(String name, Optional<String> uid, Map<String, String> metadata, Instant now) {
        var uuid = UUID.randomUUID();
        Instant createdAt = Columns.truncated(now);
        return tx.write("create account", c -> {
            if (uid.isPresent()) {
                try (var ps = c.prepareStatement(UID_TAKEN)) {
                    ps.setString(1, uid.get());
                    try (var rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return Optional.empty();
                        }
                    }
                }
            }
            try (var ps = c.prepareStatement(INSERT)) {
                ps.setString(1, uuid.toString());
                ps.setString(2, name);
                ps.setLong(3, Columns.millis(createdAt));
                Columns.setText(ps, 4, uid);
                ps.setString(5, EndpointRows.json(metadata));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.of(new Account(new AccountId(rs.getLong(1)), uuid, name, createdAt,
                            AccountStatus.ACTIVE, uid, metadata));
                }
            }
        });
    }

    @Override
    public Optional<Account> update(AccountId id, String name, Optional<String> uid, Map<String, String> metadata) {
        return tx.write("update account", c -> {
            if (uid.isPresent()) {
                try (var ps = c.prepareStatement(UID_TAKEN_BY_OTHER)) {
                    ps.setString(1, uid.get());
                    ps.setLong(2, id.value());
                    try (var rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return Optional.empty();
                        }
                    }
                }
            }
            try (var ps = c.prepareStatement(UPDATE_PROFILE)) {
                ps.setString(1, name);
                Columns.setText(ps, 2, uid);
                ps.setString(3, EndpointRows.json(metadata));
                ps.setLong(4, id.value());
                if (ps.executeUpdate() == 0) {
                    throw new StoreException("store: account " + id + " is gone");
                }
            }
            try (var ps = c.prepareStatement(BY_ID)) {
                ps.setLong(1, id.value());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.of(account(rs));
                }
            }
        });
    }

    @Override
    public Optional<Account> findByUid(String uid) {
        return tx.read("find account by uid", c -> {
            try (var ps = c.prepareStatement(BY_UID)) {
                ps.setString(1, uid);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(account(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<Account> find(AccountId id) {
        return byId("find account", BY_ID, id);
    }

    @Override
    public Optional<Account> findInAnyStatus(AccountId id) {
        return byId("find account in any status", BY_ID_ANY_STATUS, id);
    }

    private Optional<Account> byId(String what, String sql, AccountId id) {
        return tx.read(what, c -> {
            try (var ps = c.prepareStatement(sql)) {
                ps.setLong(1, id.value());
                return one(ps.executeQuery());
            }
        });
    }

    @Override
    public Optional<Account> findByUuid(UUID uuid) {
        return tx.read("find account by uuid", c -> {
            try (var ps = c.prepareStatement(BY_UUID)) {
                ps.setString(1, uuid.toString());
                return one(ps.executeQuery());
            }
        });
    }

    @Override
    public List<Account> list() {
        return tx.read("list accounts", c -> {
            try (var ps = c.prepareStatement(ALL); var rs = ps.executeQuery()) {
                var accounts = new ArrayList<Account>();
                while (rs.next()) {
                    accounts.add(account(rs));
                }
                return accounts;
            }
        });
    }

    @Override
    public List<AccountId> deleted() {
        return tx.read("list deleted accounts", c -> {
            try (var ps = c.prepareStatement(DELETED); var rs = ps.executeQuery()) {
                var ids = new ArrayList<AccountId>();
                while (rs.next()) {
                    ids.add(new AccountId(rs.getLong("id")));
                }
                return ids;
            }
        });
    }

    @Override
    public boolean setStatus(AccountId id, AccountStatus status) {
        return tx.write("set account status", c -> {
            try (var ps = c.prepareStatement(SET_STATUS)) {
                ps.setString(1, status.wireName());
                ps.setLong(2, id.value());
                ps.setString(3, status.wireName());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int purge(AccountId id, Instant now, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return tx.write("purge deleted account", c -> {
            if (!isDeleted(c, id)) {
                return 0;
            }
            int deleted = purgeStep(c, ATTEMPTS, id, now, limit);
            if (deleted < limit) {
                deleted += purgeDeliveries(c, id, now, limit - deleted);
            }
            for (PurgeStep step : AFTER_DELIVERIES) {
                if (deleted >= limit) {
                    break;
                }
                deleted += purgeStep(c, step, id, now, limit - deleted);
            }
            return deleted;
        });
    }

    private static boolean isDeleted(Connection c, AccountId id) throws SQLException {
        try (var ps = c.prepareStatement(BY_ID_ANY_STATUS)) {
            ps.setLong(1, id.value());
            return one(ps.executeQuery()).filter(a -> a.status() == AccountStatus.DELETED).isPresent();
        }
    }

    /** Deletes up to {@code budget} of the account's deliveries that have no attempts left, locked first. */
    private int purgeDeliveries(Connection c, AccountId id, Instant now, int budget) throws SQLException {
        var keys = new ArrayList<Long>();
        try (var ps = c.prepareStatement(deliveriesToPurge)) {
            ps.setLong(1, id.value());
            ps.setLong(2, id.value());
            ps.setLong(3, Columns.millis(now));
            ps.setInt(4, budget);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
        }
        int deleted = 0;
        for (var chunk : SizedSql.inLists(keys)) {
            try (var ps = c.prepareStatement(DELETE_DELIVERIES.forList(chunk))) {
                SizedSql.bindPadded(ps, 1, chunk);
                deleted += ps.executeUpdate();
            }
        }
        return deleted;
    }

    private static int purgeStep(Connection c, PurgeStep step, AccountId id, Instant now, int budget)
            throws SQLException {
        try (var ps = c.prepareStatement(step.sql())) {
            int p = 1;
            for (int i = 0; i < step.idMarkers(); i++) {
                ps.setLong(p++, id.value());
            }
            if (step.bindsNow()) {
                ps.setLong(p++, Columns.millis(now));
            }
            if (step.bindsLimit()) {
                ps.setInt(p, budget);
            }
            return ps.executeUpdate();
        }
    }

    private static Optional<Account> one(ResultSet rs) throws SQLException {
        try (rs) {
            return rs.next() ? Optional.of(account(rs)) : Optional.empty();
        }
    }

    private static Account account(ResultSet rs) throws SQLException {
        String text = rs.getString("status");
        AccountStatus status = AccountStatus.fromWire(text)
                .orElseThrow(() -> new IllegalStateException("store: unknown account status " + text));
        return new Account(new AccountId(rs.getLong("id")), UUID.fromString(rs.getString("uuid")),
                rs.getString("name"), Columns.instant(rs, "created_at"), status, Columns.optionalText(rs, "uid"),
                EndpointRows.stringMap(rs.getString("metadata")));
    }
}

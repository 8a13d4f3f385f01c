package dev.herald.store.jdbc;

import dev.herald.core.account.AccountId;
import dev.herald.store.IdempotencyRecord;
import dev.herald.store.IdempotencyRecords;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Stored first responses for idempotent API requests over JDBC. */
final class JdbcIdempotencyRecords implements IdempotencyRecords {
    private static final String SELECT = """
            SELECT request_hash, status, body, created_at FROM idempotency_records
            WHERE account_id = ? AND scope = ? AND idem_key = ? AND created_at >= ?""";
    private static final String INSERT = """
            INSERT INTO idempotency_records (account_id, scope, idem_key, request_hash, status, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String PURGE = "DELETE FROM idempotency_records WHERE created_at < ?";
    private static final String SELECT_PLATFORM = """
            SELECT request_hash, status, body, created_at FROM platform_idempotency_records
            WHERE scope = ? AND idem_key = ? AND created_at >= ?""";
    private static final String INSERT_PLATFORM = """
            INSERT INTO platform_idempotency_records (scope, idem_key, request_hash, status, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String PURGE_PLATFORM = "DELETE FROM platform_idempotency_records WHERE created_at < ?";

    private final Transactions tx;

    JdbcIdempotencyRecords(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<IdempotencyRecord> find(AccountId account, String scope, String key, Instant notBefore) {
        return tx.read("find idempotency record", c -> select(c, account, scope, key, notBefore.toEpochMilli()));
    }

    @Override
    public IdempotencyRecord putIfAbsent(AccountId account, String scope, String key, IdempotencyRecord record) {
        return tx.write("store idempotency record", c -> {
            try (var ps = c.prepareStatement(INSERT)) {
                ps.setLong(1, account.value());
                ps.setString(2, scope);
                ps.setString(3, key);
                ps.setString(4, record.requestHash());
                ps.setLong(5, record.status());
                ps.setString(6, record.body());
                ps.setLong(7, Columns.millis(record.createdAt()));
                ps.executeUpdate();
            }
            return select(c, account, scope, key, Long.MIN_VALUE).orElseThrow();
        });
    }

    @Override
    public int purgeOlderThan(Instant cutoff) {
        return tx.write("purge idempotency records", c -> {
            int purged;
            try (var ps = c.prepareStatement(PURGE)) {
                ps.setLong(1, Columns.millis(cutoff));
                purged = ps.executeUpdate();
            }
            try (var ps = c.prepareStatement(PURGE_PLATFORM)) {
                ps.setLong(1, Columns.millis(cutoff));
                return purged + ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<IdempotencyRecord> findForPlatform(String scope, String key, Instant notBefore) {
        return tx.read("find platform idempotency record",
                c -> selectPlatform(c, scope, key, notBefore.toEpochMilli()));
    }

    @Override
    public IdempotencyRecord putIfAbsentForPlatform(String scope, String key, IdempotencyRecord record) {
        return tx.write("store platform idempotency record", c -> {
            try (var ps = c.prepareStatement(INSERT_PLATFORM)) {
                ps.setString(1, scope);
                ps.setString(2, key);
                ps.setString(3, record.requestHash());
                ps.setLong(4, record.status());
                ps.setString(5, record.body());
                ps.setLong(6, Columns.millis(record.createdAt()));
                ps.executeUpdate();
            }
            return selectPlatform(c, scope, key, Long.MIN_VALUE).orElseThrow();
        });
    }

    private static Optional<IdempotencyRecord> selectPlatform(Connection c, String scope, String key,
                                                              long notBeforeMillis) throws SQLException {
        try (var ps = c.prepareStatement(SELECT_PLATFORM)) {
            ps.setString(1, scope);
            ps.setString(2, key);
            ps.setLong(3, notBeforeMillis);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new IdempotencyRecord(rs.getString("request_hash"), rs.getInt("status"),
                        rs.getString("body"), Columns.instant(rs, "created_at")));
            }
        }
    }

    private static Optional<IdempotencyRecord> select(Connection c, AccountId account, String scope, String key,
                                                      long notBeforeMillis) throws SQLException {
        try (var ps = c.prepareStatement(SELECT)) {
            ps.setLong(1, account.value());
            ps.setString(2, scope);
            ps.setString(3, key);
            ps.setLong(4, notBeforeMillis);
            try (var rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new IdempotencyRecord(rs.getString("request_hash"), rs.getInt("status"),
                        rs.getString("body"), Columns.instant(rs, "created_at")));
            }
        }
    }
}

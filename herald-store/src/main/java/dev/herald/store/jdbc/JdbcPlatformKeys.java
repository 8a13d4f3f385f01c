package dev.herald.store.jdbc;

import dev.herald.core.platform.PlatformKey;
import dev.herald.core.platform.PlatformKeyId;
import dev.herald.store.PlatformKeys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Platform keys over JDBC; the token itself never reaches this class, only its hash. */
final class JdbcPlatformKeys implements PlatformKeys {
    private static final String INSERT = """
            INSERT INTO platform_keys (name, token_hash, hint, created_at) VALUES (?, ?, ?, ?) RETURNING id""";
    private static final String SELECT = "SELECT id, name, hint, created_at, revoked_at FROM platform_keys";
    private static final String ACTIVE_BY_HASH = SELECT + " WHERE token_hash = ? AND revoked_at IS NULL";
    private static final String BY_ID = SELECT + " WHERE id = ?";
    private static final String ALL = SELECT + " ORDER BY id";
    private static final String REVOKE = "UPDATE platform_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";

    private final Transactions tx;

    JdbcPlatformKeys(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public PlatformKey create(String name, String tokenHash, String hint, Instant now) {
        Instant createdAt = Columns.truncated(now);
        return tx.write("create platform key", c -> {
            try (var ps = c.prepareStatement(INSERT)) {
                ps.setString(1, name);
                ps.setString(2, tokenHash);
                ps.setString(3, hint);
                ps.setLong(4, Columns.millis(createdAt));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return new PlatformKey(new PlatformKeyId(rs.getLong(1)), name, hint, createdAt, Optional.empty());
                }
            }
        });
    }

    @Override
    public Optional<PlatformKey> findActiveByHash(String tokenHash) {
        return tx.read("find platform key by hash", c -> {
            try (var ps = c.prepareStatement(ACTIVE_BY_HASH)) {
                ps.setString(1, tokenHash);
                return one(ps.executeQuery());
            }
        });
    }

    @Override
    public Optional<PlatformKey> find(PlatformKeyId id) {
        return tx.read("find platform key", c -> {
            try (var ps = c.prepareStatement(BY_ID)) {
                ps.setLong(1, id.value());
                return one(ps.executeQuery());
            }
        });
    }

    @Override
    public List<PlatformKey> list() {
        return tx.read("list platform keys", c -> {
            try (var ps = c.prepareStatement(ALL); var rs = ps.executeQuery()) {
                var keys = new ArrayList<PlatformKey>();
                while (rs.next()) {
                    keys.add(platformKey(rs));
                }
                return keys;
            }
        });
    }

    @Override
    public boolean revoke(PlatformKeyId id, Instant now) {
        return tx.write("revoke platform key", c -> {
            try (var ps = c.prepareStatement(REVOKE)) {
                ps.setLong(1, Columns.millis(now));
                ps.setLong(2, id.value());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static Optional<PlatformKey> one(ResultSet rs) throws SQLException {
        try (rs) {
            return rs.next() ? Optional.of(platformKey(rs)) : Optional.empty();
        }
    }

    private static PlatformKey platformKey(ResultSet rs) throws SQLException {
        return new PlatformKey(new PlatformKeyId(rs.getLong("id")), rs.getString("name"), rs.getString("hint"),
                Columns.instant(rs, "created_at"), Columns.optionalInstant(rs, "revoked_at"));
    }
}

package dev.herald.store.jdbc;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.store.ApiKeys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** API keys over JDBC; the token itself never reaches this class, only its hash. */
final class JdbcApiKeys implements ApiKeys {
    private static final String INSERT = """
            INSERT INTO api_keys (account_id, name, token_hash, hint, created_at) VALUES (?, ?, ?, ?, ?)
            RETURNING id""";
    private static final String SELECT = "SELECT id, account_id, name, hint, created_at, revoked_at FROM api_keys";
    /** A key works only while its account is active: disabling the account stops every key at once. */
    private static final String ACTIVE_BY_HASH = """
            SELECT k.id, k.account_id, k.name, k.hint, k.created_at, k.revoked_at
            FROM api_keys k JOIN accounts a ON a.id = k.account_id
            WHERE k.token_hash = ? AND k.revoked_at IS NULL AND a.status = 'active'""";
    private static final String BY_ID = SELECT + " WHERE id = ?";
    private static final String BY_ACCOUNT = SELECT + " WHERE account_id = ? ORDER BY id";
    private static final String REVOKE = "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";

    private final Transactions tx;

    JdbcApiKeys(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public ApiKey create(AccountId account, String name, String tokenHash, String hint, Instant now) {
        Instant createdAt = Columns.truncated(now);
        return tx.write("create api key", c -> {
            try (var ps = c.prepareStatement(INSERT)) {
                ps.setLong(1, account.value());
                ps.setString(2, name);
                ps.setString(3, tokenHash);
                ps.setString(4, hint);
                ps.setLong(5, Columns.millis(createdAt));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return new ApiKey(new ApiKeyId(rs.getLong(1)), account, name, hint, createdAt, Optional.empty());
                }
            }
        });
    }

    @Override
    public Optional<ApiKey> findActiveByHash(String tokenHash) {
        return tx.read("find api key by hash", c -> {
            try (var ps = c.prepareStatement(ACTIVE_BY_HASH)) {
                ps.setString(1, tokenHash);
                return one(ps.executeQuery());
            }
        });
    }

    @Override
    public Optional<ApiKey> find(ApiKeyId id) {
        return tx.read("find api key", c -> {
            try (var ps = c.prepareStatement(BY_ID)) {
                ps.setLong(1, id.value());
                return one(ps.executeQuery());
            }
        });
    }

    @Override
    public List<ApiKey> list(AccountId account) {
        return tx.read("list api keys", c -> {
            try (var ps = c.prepareStatement(BY_ACCOUNT)) {
                ps.setLong(1, account.value());
                try (var rs = ps.executeQuery()) {
                    var keys = new ArrayList<ApiKey>();
                    while (rs.next()) {
                        keys.add(apiKey(rs));
                    }
                    return keys;
                }
            }
        });
    }

    @Override
    public boolean revoke(ApiKeyId id, Instant now) {
        return tx.write("revoke api key", c -> {
            try (var ps = c.prepareStatement(REVOKE)) {
                ps.setLong(1, Columns.millis(now));
                ps.setLong(2, id.value());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static Optional<ApiKey> one(ResultSet rs) throws SQLException {
        try (rs) {
            return rs.next() ? Optional.of(apiKey(rs)) : Optional.empty();
        }
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(new ApiKeyId(rs.getLong("id")), new AccountId(rs.getLong("account_id")),
                rs.getString("name"), rs.getString("hint"), Columns.instant(rs, "created_at"),
                Columns.optionalInstant(rs, "revoked_at"));
    }
}

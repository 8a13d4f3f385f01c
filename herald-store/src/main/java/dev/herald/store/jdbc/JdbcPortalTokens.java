package dev.herald.store.jdbc;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.store.PortalTokens;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Portal links and sessions over JDBC; tokens never reach this class, only their hashes. */
final class JdbcPortalTokens implements PortalTokens {
    private static final String INSERT = """
            INSERT INTO portal_tokens (token_hash, kind, account_id, api_key_id, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?)""";
    // used_at IS NULL makes the redemption compare-and-set: of two concurrent redemptions one updates no row
    private static final String REDEEM = """
            UPDATE portal_tokens SET used_at = ?
            WHERE token_hash = ? AND kind = 'link' AND used_at IS NULL AND expires_at > ?
            RETURNING account_id, api_key_id, expires_at""";
    private static final String SESSION = """
            SELECT account_id, api_key_id, expires_at FROM portal_tokens
            WHERE token_hash = ? AND kind = 'session' AND expires_at > ?""";
    private static final String END_SESSION = "DELETE FROM portal_tokens WHERE token_hash = ? AND kind = 'session'";
    private static final String DELETE_EXPIRED = "DELETE FROM portal_tokens WHERE expires_at <= ?";

    private final Transactions tx;

    JdbcPortalTokens(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void addLink(String tokenHash, Grant grant, Instant now) {
        tx.write("add portal link", c -> insert(c, tokenHash, "link", grant, now));
    }

    @Override
    public Optional<Grant> redeemLink(String tokenHash, Instant now) {
        return tx.write("redeem portal link", c -> {
            try (var ps = c.prepareStatement(REDEEM)) {
                ps.setLong(1, Columns.millis(now));
                ps.setString(2, tokenHash);
                ps.setLong(3, Columns.millis(now));
                return one(ps.executeQuery());
            }
        });
    }

    @Override
    public void addSession(String tokenHash, Grant grant, Instant now) {
        tx.write("add portal session", c -> insert(c, tokenHash, "session", grant, now));
    }

    @Override
    public Optional<Grant> findSession(String tokenHash, Instant now) {
        return tx.read("find portal session", c -> {
            try (var ps = c.prepareStatement(SESSION)) {
                ps.setString(1, tokenHash);
                ps.setLong(2, Columns.millis(now));
                return one(ps.executeQuery());
            }
        });
    }

    @Override
    public boolean endSession(String tokenHash) {
        return tx.write("end portal session", c -> {
            try (var ps = c.prepareStatement(END_SESSION)) {
                ps.setString(1, tokenHash);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int deleteExpired(Instant now) {
        return tx.write("delete expired portal tokens", c -> {
            try (var ps = c.prepareStatement(DELETE_EXPIRED)) {
                ps.setLong(1, Columns.millis(now));
                return ps.executeUpdate();
            }
        });
    }

    private static int insert(Connection c, String tokenHash, String kind, Grant grant, Instant now)
            throws SQLException {
        try (var ps = c.prepareStatement(INSERT)) {
            ps.setString(1, tokenHash);
            ps.setString(2, kind);
            ps.setLong(3, grant.account().value());
            ps.setLong(4, grant.key().value());
            ps.setLong(5, Columns.millis(now));
            ps.setLong(6, Columns.millis(grant.expiresAt()));
            return ps.executeUpdate();
        }
    }

    private static Optional<Grant> one(ResultSet rs) throws SQLException {
        try (rs) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Grant(new AccountId(rs.getLong("account_id")), new ApiKeyId(rs.getLong("api_key_id")),
                    Columns.instant(rs, "expires_at")));
        }
    }
}

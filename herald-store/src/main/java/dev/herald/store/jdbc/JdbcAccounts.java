package dev.herald.store.jdbc;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.store.Accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accounts over JDBC. */
final class JdbcAccounts implements Accounts {
    private static final String INSERT = "INSERT INTO accounts (uuid, name, created_at) VALUES (?, ?, ?) RETURNING id";
    private static final String SELECT = "SELECT id, uuid, name, created_at FROM accounts";
    private static final String BY_ID = SELECT + " WHERE id = ?";
    private static final String BY_UUID = SELECT + " WHERE uuid = ?";
    private static final String ALL = SELECT + " ORDER BY id";

    private final Transactions tx;

    JdbcAccounts(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public Account create(String name, Instant now) {
        var uuid = UUID.randomUUID();
        Instant createdAt = Columns.truncated(now);
        return tx.write("create account", c -> {
            try (var ps = c.prepareStatement(INSERT)) {
                ps.setString(1, uuid.toString());
                ps.setString(2, name);
                ps.setLong(3, Columns.millis(createdAt));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return new Account(new AccountId(rs.getLong(1)), uuid, name, createdAt);
                }
            }
        });
    }

    @Override
    public Optional<Account> find(AccountId id) {
        return tx.read("find account", c -> {
            try (var ps = c.prepareStatement(BY_ID)) {
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

    private static Optional<Account> one(ResultSet rs) throws SQLException {
        try (rs) {
            return rs.next() ? Optional.of(account(rs)) : Optional.empty();
        }
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(new AccountId(rs.getLong("id")), UUID.fromString(rs.getString("uuid")),
                rs.getString("name"), Columns.instant(rs, "created_at"));
    }
}

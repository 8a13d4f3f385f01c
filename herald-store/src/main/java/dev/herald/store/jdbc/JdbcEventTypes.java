package dev.herald.store.jdbc;

import dev.herald.core.account.AccountId;
import dev.herald.core.event.EventType;
import dev.herald.store.EventTypes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An account's own event types over JDBC. */
final class JdbcEventTypes implements EventTypes {
    private static final String SELECT = "SELECT name, description, schema FROM event_types WHERE account_id = ?";
    private static final String BY_ACCOUNT = SELECT + " ORDER BY name";
    private static final String BY_NAME = SELECT + " AND name = ?";
    private static final String UPSERT = """
            INSERT INTO event_types (account_id, name, description, schema, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (account_id, name) DO UPDATE
            SET description = excluded.description, schema = excluded.schema, updated_at = excluded.updated_at""";
    private static final String DELETE = "DELETE FROM event_types WHERE account_id = ? AND name = ?";

    private final Transactions tx;

    JdbcEventTypes(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<EventType> list(AccountId account) {
        return tx.read("list event types", c -> {
            try (var ps = c.prepareStatement(BY_ACCOUNT)) {
                ps.setLong(1, account.value());
                try (var rs = ps.executeQuery()) {
                    var types = new ArrayList<EventType>();
                    while (rs.next()) {
                        types.add(eventType(rs));
                    }
                    return types;
                }
            }
        });
    }

    @Override
    public Optional<EventType> find(AccountId account, String name) {
        return tx.read("find event type", c -> {
            try (var ps = c.prepareStatement(BY_NAME)) {
                ps.setLong(1, account.value());
                ps.setString(2, name);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(eventType(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public EventType put(AccountId account, EventType type, Instant now) {
        return tx.write("put event type", c -> {
            try (var ps = c.prepareStatement(UPSERT)) {
                ps.setLong(1, account.value());
                ps.setString(2, type.name());
                ps.setString(3, type.description());
                Columns.setText(ps, 4, type.schema());
                ps.setLong(5, Columns.millis(now));
                ps.setLong(6, Columns.millis(now));
                ps.executeUpdate();
                return type;
            }
        });
    }

    @Override
    public boolean delete(AccountId account, String name) {
        return tx.write("delete event type", c -> {
            try (var ps = c.prepareStatement(DELETE)) {
                ps.setLong(1, account.value());
                ps.setString(2, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static EventType eventType(ResultSet rs) throws SQLException {
        return new EventType(rs.getString("name"), rs.getString("description"), Columns.optionalText(rs, "schema"));
    }
}

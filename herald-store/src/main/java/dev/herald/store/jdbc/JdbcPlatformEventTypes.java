package dev.herald.store.jdbc;

import dev.herald.core.event.PlatformEventType;
import dev.herald.store.PlatformEventTypes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The platform's event-type catalog over JDBC. */
final class JdbcPlatformEventTypes implements PlatformEventTypes {
    private static final String SELECT = """
            SELECT name, description, schemas, archived, deprecated, created_at, updated_at
            FROM platform_event_types""";
    private static final String ALL = SELECT + " ORDER BY name";
    private static final String LIVE = SELECT + " WHERE archived = 0 ORDER BY name";
    private static final String BY_NAME = SELECT + " WHERE name = ?";
    private static final String INSERT = """
            INSERT INTO platform_event_types (name, description, schemas, archived, deprecated, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String UPDATE = """
            UPDATE platform_event_types SET description = ?, schemas = ?, archived = ?, deprecated = ?, updated_at = ?
            WHERE name = ?""";
    private static final String DELETE = "DELETE FROM platform_event_types WHERE name = ?";

    private final Transactions tx;

    JdbcPlatformEventTypes(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<PlatformEventType> list(boolean withArchived) {
        return tx.read("list platform event types", c -> {
            try (var ps = c.prepareStatement(withArchived ? ALL : LIVE); var rs = ps.executeQuery()) {
                var types = new ArrayList<PlatformEventType>();
                while (rs.next()) {
                    types.add(type(rs));
                }
                return types;
            }
        });
    }

    @Override
    public Optional<PlatformEventType> find(String name) {
        return tx.read("find platform event type", c -> {
            try (var ps = c.prepareStatement(BY_NAME)) {
                ps.setString(1, name);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(type(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean create(PlatformEventType type) {
        return tx.write("create platform event type", c -> {
            try (var ps = c.prepareStatement(INSERT)) {
                ps.setString(1, type.name());
                ps.setString(2, type.description());
                Columns.setText(ps, 3, type.schemas());
                ps.setLong(4, type.archived() ? 1 : 0);
                ps.setLong(5, type.deprecated() ? 1 : 0);
                ps.setLong(6, Columns.millis(type.createdAt()));
                ps.setLong(7, Columns.millis(type.updatedAt()));
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean update(PlatformEventType type) {
        return tx.write("update platform event type", c -> {
            try (var ps = c.prepareStatement(UPDATE)) {
                ps.setString(1, type.description());
                Columns.setText(ps, 2, type.schemas());
                ps.setLong(3, type.archived() ? 1 : 0);
                ps.setLong(4, type.deprecated() ? 1 : 0);
                ps.setLong(5, Columns.millis(type.updatedAt()));
                ps.setString(6, type.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean delete(String name) {
        return tx.write("delete platform event type", c -> {
            try (var ps = c.prepareStatement(DELETE)) {
                ps.setString(1, name);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static PlatformEventType type(ResultSet rs) throws SQLException {
        return new PlatformEventType(rs.getString("name"), rs.getString("description"),
                Columns.optionalText(rs, "schemas"), rs.getLong("archived") != 0, rs.getLong("deprecated") != 0,
                Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"));
    }
}

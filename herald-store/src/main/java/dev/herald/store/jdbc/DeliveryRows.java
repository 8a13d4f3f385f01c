package dev.herald.store.jdbc;

import dev.herald.core.account.AccountId;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Maps delivery rows, joined with their event for its public id and type, to {@link Delivery}s. */
final class DeliveryRows {
    static final WireColumn<DeliveryState> STATE = WireColumn.of(DeliveryState.class, "delivery state");
    static final WireColumn<EventFormat> FORMAT = WireColumn.of(EventFormat.class, "event format");
    /** Every delivery read joins its event; the caller appends the WHERE clause. */
    static final String SELECT = """
            SELECT d.id, d.public_id, d.account_id, e.public_id AS event_public_id, e.type AS event_type,
                   d.endpoint_id, d.state, d.attempts, d.next_attempt_at, d.first_failed_at, d.created_at,
                   d.updated_at, d.sequence, e.payload, e.trace_context, e.format
            FROM deliveries d JOIN events e ON e.id = d.event_id
            """;
    private static final String BY_EVENT = SELECT + "WHERE d.event_id = ? ORDER BY d.id";
    private static final String BY_EVENTS = SELECT + "WHERE d.event_id IN (%s) ORDER BY d.id";
    /** Event keys per {@link #BY_EVENTS} statement: well under both databases' bound-parameter limits. */
    private static final int EVENTS_PER_QUERY = 500;

    private DeliveryRows() {
    }

    static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getLong("id"), new DeliveryId(Columns.text(rs, "public_id")),
                new AccountId(rs.getLong("account_id")), new EventId(Columns.text(rs, "event_public_id")),
                Columns.text(rs, "event_type"), new EndpointId(rs.getLong("endpoint_id")),
                STATE.read(rs, "state"),
                Math.toIntExact(rs.getLong("attempts")), Columns.optionalInstant(rs, "next_attempt_at"),
                Columns.optionalInstant(rs, "first_failed_at"), Columns.instant(rs, "created_at"),
                Columns.instant(rs, "updated_at"), Columns.optionalLong(rs, "sequence")
                        .map(OptionalLong::of).orElseGet(OptionalLong::empty));
    }

    /** How the delivery's event goes on the wire (the {@code e.format} column of {@link #SELECT}). */
    static EventFormat format(ResultSet rs) throws SQLException {
        return FORMAT.read(rs, "format");
    }

    /** The deliveries of the event with row key {@code eventKey}, oldest first. */
    static List<Delivery> ofEvent(Connection c, long eventKey) throws SQLException {
        try (var ps = c.prepareStatement(BY_EVENT)) {
            ps.setLong(1, eventKey);
            var deliveries = new ArrayList<Delivery>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    deliveries.add(delivery(rs));
                }
            }
            return deliveries;
        }
    }

    /** The deliveries of the events with row keys {@code eventKeys}, each event's oldest first. */
    static List<Delivery> ofEvents(Connection c, List<Long> eventKeys) throws SQLException {
        var deliveries = new ArrayList<Delivery>();
        // an event's deliveries all come in the chunk that names it, in row order
        for (var chunk : SizedSql.chunks(eventKeys, EVENTS_PER_QUERY)) {
            try (var ps = c.prepareStatement(BY_EVENTS.formatted(Placeholders.list(chunk.size())))) {
                int p = 1;
                for (long key : chunk) {
                    ps.setLong(p++, key);
                }
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        deliveries.add(delivery(rs));
                    }
                }
            }
        }
        return deliveries;
    }
}

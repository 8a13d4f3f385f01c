package dev.herald.store.jdbc;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EventDraft;
import dev.herald.store.EventFilter;
import dev.herald.store.Events;
import dev.herald.store.Lease;
import dev.herald.store.ListOrder;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.PublishedEvent;
import dev.herald.store.StoreException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Events and their deliveries over JDBC. A batch is stored with multi-row inserts (one statement per chunk,
 * not one per row) in one transaction; repeats are detected by the unique constraints
 * ({@code ON CONFLICT DO NOTHING}) and answered with the original. A delivery's creation time is its
 * event's timestamp, the moment it was accepted.
 */
final class JdbcEvents implements Events {
    /** Values per lookup statement: well under SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
    private static final int CHUNK = 500;
    /** Rows per insert statement: each length's text is kept, so none is formatted or prepared again. */
    private static final int ROWS = SizedSql.KEPT_ROWS;
    private static final String INSERT_EVENTS = """
            INSERT INTO events (public_id, account_id, type, occurred_at, payload, idempotency_key, api_key_id,
                                trace_context, format, uid, channels)
            VALUES %s
            ON CONFLICT DO NOTHING
            RETURNING id, account_id, public_id""";
    /** One event's values; {@code %s} is the payload's, which the dialect binds from its UTF-8 bytes. */
    private static final String EVENT_ROW = "(?, ?, ?, ?, %s, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_DELIVERIES = """
            INSERT INTO deliveries (public_id, account_id, event_id, endpoint_id, state, attempts, next_attempt_at,
                                    lease_owner, lease_until, created_at, updated_at)
            VALUES %s
            RETURNING id, event_id, endpoint_id""";
    private static final String DELIVERY_ROW = "(?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)";
    private static final SizedSql INSERT_DELIVERIES_SIZED = SizedSql.rows(INSERT_DELIVERIES, DELIVERY_ROW);
    private static final String SELECT = """
            SELECT id, public_id, account_id, type, occurred_at, payload, idempotency_key, api_key_id, format, uid,
                   channels
            FROM events""";
    private static final String BY_PUBLIC_ID = SELECT + " WHERE account_id = ? AND public_id = ?";
    private static final String BY_IDEMPOTENCY_KEY = SELECT + " WHERE account_id = ? AND idempotency_key = ?";
    private static final String BY_UID = SELECT + " WHERE account_id = ? AND uid = ?";
    /** The originals of a batch's repeats: one lookup per account and key kind, not one per repeated event. */
    private static final String BY_PUBLIC_IDS = SELECT + " WHERE account_id = ? AND public_id IN (%s)";
    private static final String BY_IDEMPOTENCY_KEYS = SELECT + " WHERE account_id = ? AND idempotency_key IN (%s)";
    private static final String BY_UIDS = SELECT + " WHERE account_id = ? AND uid IN (%s)";

    /** The listing: the account's events below the cursor, then each filter that is given, newest first. */
    private static final String LIST = SELECT + " WHERE account_id = ?";
    private static final String LIST_TYPE = " AND type = ?";
    private static final String LIST_TYPES = " AND type IN (%s)";
    private static final String LIST_SINCE = " AND occurred_at >= ?";
    private static final String LIST_UNTIL = " AND occurred_at < ?";

    private final Transactions tx;
    private final SizedSql insertEventsSized;
    /** Deliveries join their endpoint's index in bulk on SQLite (V15): each insert counts its rows there. */
    private final BulkIndex deliveryIndex;

    JdbcEvents(Transactions tx, Dialect dialect, BulkIndex deliveryIndex) {
        this.tx = tx;
        this.deliveryIndex = deliveryIndex;
        this.insertEventsSized = SizedSql.rows(INSERT_EVENTS, EVENT_ROW.formatted(dialect.textFromUtf8()));
    }

    @Override
    public List<PublishedEvent> insert(List<EventDraft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        int[] firstOf = firstOccurrences(drafts);
        return tx.write("insert events", c -> {
            var unique = new ArrayList<EventDraft>();
            // each draft's place in unique (a repeat in the request: its first occurrence's)
            var uniqueIndex = new int[drafts.size()];
            for (int i = 0; i < drafts.size(); i++) {
                if (firstOf[i] == i) {
                    uniqueIndex[i] = unique.size();
                    unique.add(drafts.get(i));
                }
            }
            long[] eventKeys = insertEvents(c, unique);
            var created = new ArrayList<EventDraft>(unique.size());
            var createdKeys = new long[unique.size()];
            var repeated = new ArrayList<Event>();
            for (int u = 0; u < unique.size(); u++) {
                var draft = unique.get(u);
                if (eventKeys[u] == NOT_INSERTED) {
                    repeated.add(draft.event());
                } else {
                    createdKeys[created.size()] = eventKeys[u];
                    created.add(draft);
                }
            }
            DeliveryKeys deliveryKeys = insertDeliveries(c, created, createdKeys);
            deliveryIndex.written(c, deliveryKeys.size());
            Map<Long, Long> sequences = FifoSequences.assign(c, created, createdKeys, deliveryKeys);
            Map<IdKey, PublishedEvent> originals = originals(c, repeated);

            var results = new PublishedEvent[drafts.size()];
            for (int i = 0; i < drafts.size(); i++) {
                if (firstOf[i] != i) {
                    var first = results[firstOf[i]];
                    results[i] = new PublishedEvent(first.event(), first.deliveries(), false);
                    continue;
                }
                var draft = drafts.get(i);
                long eventKey = eventKeys[uniqueIndex[i]];
                results[i] = eventKey == NOT_INSERTED ? originals.get(IdKey.of(draft.event()))
                        : createdResult(draft, eventKey, deliveryKeys, sequences);
            }
            return List.of(results);
        });
    }

    @Override
    public Optional<Event> find(AccountId account, EventId id) {
        return tx.read("find event", c -> selectById(c, account, id).map(StoredEvent::event));
    }

    @Override
    public Optional<Event> findByIdempotencyKey(AccountId account, String idempotencyKey) {
        return tx.read("find event by idempotency key",
                c -> selectByIdempotencyKey(c, account, idempotencyKey).map(StoredEvent::event));
    }

    @Override
    public Optional<Event> findByUid(AccountId account, String uid) {
        return tx.read("find event by uid", c -> selectByUid(c, account, uid).map(StoredEvent::event));
    }

    private static Optional<StoredEvent> selectByUid(Connection c, AccountId account, String uid) throws SQLException {
        try (var ps = c.prepareStatement(BY_UID)) {
            ps.setLong(1, account.value());
            ps.setString(2, uid);
            return one(ps.executeQuery());
        }
    }

    @Override
    public Page<Event> list(AccountId account, EventFilter filter, PageRequest page, ListOrder order) {
        long bound = Cursors.bound(page.cursor(), order);
        // Fixed fragments only: every value is bound.
        String sql = LIST + (filter.type().isPresent() ? LIST_TYPE : "")
                + (filter.types().isEmpty() ? "" : LIST_TYPES.formatted(Placeholders.list(filter.types().size())))
                + (filter.since().isPresent() ? LIST_SINCE : "")
                + (filter.until().isPresent() ? LIST_UNTIL : "") + Cursors.keyset("id", order);
        return tx.read("list events", c -> {
            try (var ps = c.prepareStatement(sql)) {
                int p = 1;
                ps.setLong(p++, account.value());
                if (filter.type().isPresent()) {
                    ps.setString(p++, filter.type().get());
                }
                for (String type : filter.types()) {
                    ps.setString(p++, type);
                }
                if (filter.since().isPresent()) {
                    ps.setLong(p++, Columns.millis(filter.since().get()));
                }
                if (filter.until().isPresent()) {
                    ps.setLong(p++, Columns.millis(filter.until().get()));
                }
                ps.setLong(p++, bound);
                ps.setInt(p, page.limit() + 1);
                var rows = new ArrayList<StoredEvent>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(stored(rs));
                    }
                }
                if (rows.size() <= page.limit()) {
                    return new Page<>(rows.stream().map(StoredEvent::event).toList(), false, Optional.empty());
                }
                var shown = rows.subList(0, page.limit());
                return new Page<>(shown.stream().map(StoredEvent::event).toList(), true,
                        Optional.of(Cursors.encode(shown.getLast().key())));
            }
        });
    }

    @Override
    public List<Delivery> deliveriesOf(AccountId account, EventId id) {
        return tx.read("list deliveries of event", c -> {
            var stored = selectById(c, account, id);
            return stored.isEmpty() ? List.<Delivery>of() : DeliveryRows.ofEvent(c, stored.get().key());
        });
    }

    /** For each draft, the index of the first draft in the batch with the same event id, idempotency key or uid. */
    private static int[] firstOccurrences(List<EventDraft> drafts) {
        var firstOf = new int[drafts.size()];
        Arrays.setAll(firstOf, i -> i);
        var seen = new HashMap<Object, Integer>();
        for (int i = 0; i < drafts.size(); i++) {
            var event = drafts.get(i).event();
            var idKey = IdKey.of(event);
            var idemKey = event.idempotencyKey().map(k -> new IdempotencyKey(event.accountId().value(), k));
            var uidKey = event.uid().map(u -> new UidKey(event.accountId().value(), u));
            Integer earlier = seen.get(idKey);
            if (earlier == null && idemKey.isPresent()) {
                earlier = seen.get(idemKey.get());
            }
            if (earlier == null && uidKey.isPresent()) {
                earlier = seen.get(uidKey.get());
            }
            if (earlier != null) {
                firstOf[i] = earlier;
                continue;
            }
            seen.put(idKey, i);
            if (idemKey.isPresent()) {
                seen.put(idemKey.get(), i);
            }
            if (uidKey.isPresent()) {
                seen.put(uidKey.get(), i);
            }
        }
        return firstOf;
    }

    /**
     * Inserts the events that are not repeats; returns each one's new row key, in {@code drafts}' order, or
     * {@link #NOT_INSERTED} for one already stored (its insert did nothing).
     */
    private long[] insertEvents(Connection c, List<EventDraft> drafts) throws SQLException {
        var keys = new long[drafts.size()];
        int base = 0;
        for (var chunk : SizedSql.chunks(drafts, ROWS)) {
            try (var ps = c.prepareStatement(insertEventsSized.of(chunk.size()))) {
                int p = 1;
                for (var draft : chunk) {
                    var event = draft.event();
                    ps.setString(p++, event.id().value());
                    ps.setLong(p++, event.accountId().value());
                    ps.setString(p++, event.type());
                    ps.setLong(p++, Columns.millis(event.timestamp()));
                    ps.setBytes(p++, event.body().utf8());
                    Columns.setText(ps, p++, event.idempotencyKey());
                    Columns.setLong(ps, p++, event.publishedBy().map(ApiKeyId::value));
                    Columns.setText(ps, p++, draft.traceContext());
                    ps.setString(p++, event.format().wireName());
                    Columns.setText(ps, p++, event.uid());
                    // most events have no channels: their column needs no JSON writer
                    ps.setString(p++, event.channels().isEmpty() ? "[]" : EndpointRows.json(event.channels()));
                }
                try (var rs = ps.executeQuery()) {
                    // Rows come back in the order they were inserted, those not inserted left out, though neither
                    // database promises it: each row is looked for from where the last one matched, and around.
                    int next = 0;
                    while (rs.next()) {
                        int at = positionOf(chunk, next, rs.getLong("account_id"), rs.getBytes("public_id"));
                        keys[base + at] = rs.getLong("id");
                        next = at + 1;
                    }
                }
            }
            base += chunk.size();
        }
        return keys;
    }

    /** The place in {@code chunk} of the event of {@code account} and {@code publicId}, sought from {@code from}. */
    private static int positionOf(List<EventDraft> chunk, int from, long account, byte[] publicId) {
        for (int k = 0; k < chunk.size(); k++) {
            int at = (from + k) % chunk.size();
            Event event = chunk.get(at).event();
            if (event.accountId().value() == account && spells(publicId, event.id().value())) {
                return at;
            }
        }
        throw new IllegalStateException("store: an inserted event matches none of those inserted");
    }

    /** Whether {@code ascii}, an event id as stored (ASCII, as {@code EventId} requires), spells {@code id}. */
    private static boolean spells(byte[] ascii, String id) {
        if (ascii.length != id.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length; i++) {
            if (ascii[i] != (byte) id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Inserts the deliveries of newly created events; returns their row keys. */
    private static DeliveryKeys insertDeliveries(Connection c, List<EventDraft> created, long[] eventKeys)
            throws SQLException {
        var rows = new ArrayList<DeliveryRow>();
        for (int i = 0; i < created.size(); i++) {
            var draft = created.get(i);
            long eventKey = eventKeys[i];
            for (var delivery : draft.deliveries()) {
                rows.add(new DeliveryRow(draft.event(), eventKey, delivery));
            }
        }
        var keys = new DeliveryKeys(rows.size());
        for (var chunk : SizedSql.chunks(rows, ROWS)) {
            try (var ps = c.prepareStatement(INSERT_DELIVERIES_SIZED.of(chunk.size()))) {
                // an event's deliveries share its account, key and times, and leased ones the lease's end
                var accounts = new SharedLongs();
                var events = new SharedLongs();
                var due = new SharedLongs();
                var leasedUntil = new SharedLongs();
                var createdAts = new SharedLongs();
                int p = 1;
                for (var row : chunk) {
                    long createdAt = Columns.millis(row.event().timestamp());
                    ps.setString(p++, row.draft().id().value());
                    accounts.bind(ps, p++, row.event().accountId().value());
                    events.bind(ps, p++, row.eventKey());
                    ps.setLong(p++, row.draft().endpointId().value());
                    due.bind(ps, p++, row.draft().nextAttemptAt());
                    // read in place rather than mapped: an Optional per column per row was a box per delivery
                    Optional<Lease> lease = row.draft().lease();
                    if (lease.isPresent()) {
                        ps.setString(p++, lease.get().owner());
                        leasedUntil.bind(ps, p++, Columns.millis(lease.get().until()));
                    } else {
                        ps.setNull(p++, Types.VARCHAR);
                        ps.setNull(p++, Types.BIGINT);
                    }
                    createdAts.bind(ps, p++, createdAt);
                    createdAts.bind(ps, p++, createdAt);
                }
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.put(rs.getLong(2), rs.getLong(3), rs.getLong(1));
                    }
                }
            }
        }
        return keys;
    }

    private static PublishedEvent createdResult(EventDraft draft, long eventKey, DeliveryKeys deliveryKeys,
                                                Map<Long, Long> sequences) {
        var e = draft.event();
        var event = e.withTimestamp(Columns.truncated(e.timestamp()));
        var deliveries = new ArrayList<Delivery>(draft.deliveries().size());
        // a fan-out's drafts share their due time: it is truncated once, not once per delivery
        Optional<Instant> dueAsDrafted = null;
        Optional<Instant> due = Optional.empty();
        for (var d : draft.deliveries()) {
            if (d.nextAttemptAt() != dueAsDrafted) {
                dueAsDrafted = d.nextAttemptAt();
                due = dueAsDrafted.map(Columns::truncated);
            }
            long key = deliveryKeys.get(eventKey, d.endpointId().value());
            if (key < 0) {
                throw new StoreException("store: delivery " + d.id() + " of event " + e.id() + " was not inserted");
            }
            deliveries.add(new Delivery(key, d.id(), e.accountId(), e.id(), e.type(), d.endpointId(),
                    DeliveryState.PENDING, 0, due, Optional.empty(),
                    event.timestamp(), event.timestamp(), sequences.isEmpty() || !sequences.containsKey(key)
                    ? OptionalLong.empty() : OptionalLong.of(sequences.get(key))));
        }
        return new PublishedEvent(event, deliveries, true);
    }

    /**
     * The stored events that repeated drafts collided with, by the draft's key: by event id first, then by
     * idempotency key, then by uid, each looked up for all the drafts at once (a replayed batch of 500 events was
     * 1,000 to 2,000 statements, inside the write transaction), and their deliveries in one more query.
     */
    private static Map<IdKey, PublishedEvent> originals(Connection c, List<Event> repeated) throws SQLException {
        if (repeated.isEmpty()) {
            return Map.of();
        }
        var found = new HashMap<IdKey, StoredEvent>();
        lookUp(c, repeated, found, BY_PUBLIC_IDS, "public_id", e -> Optional.of(e.id().value()));
        lookUp(c, repeated, found, BY_IDEMPOTENCY_KEYS, "idempotency_key", Event::idempotencyKey);
        lookUp(c, repeated, found, BY_UIDS, "uid", Event::uid);
        var storedKeys = new LinkedHashSet<Long>();
        for (Event draft : repeated) {
            StoredEvent original = found.get(IdKey.of(draft));
            if (original == null) {
                throw new StoreException(
                        "store: event " + draft.id() + " conflicted with a stored event that cannot be found");
            }
            storedKeys.add(original.key());
        }
        var deliveries = new HashMap<IdKey, List<Delivery>>();
        for (Delivery d : DeliveryRows.ofEvents(c, List.copyOf(storedKeys))) {
            deliveries.computeIfAbsent(new IdKey(d.accountId().value(), d.eventId().value()), k -> new ArrayList<>())
                    .add(d);
        }
        var originals = new HashMap<IdKey, PublishedEvent>();
        for (Event draft : repeated) {
            Event original = found.get(IdKey.of(draft)).event();
            originals.put(IdKey.of(draft), new PublishedEvent(original,
                    List.copyOf(deliveries.getOrDefault(IdKey.of(original), List.of())), false));
        }
        return originals;
    }

    /**
     * Finds, for each draft not yet in {@code found} that has a {@code value} of the kind {@code column} holds,
     * the stored event of its account with that value; one query per account and chunk.
     */
    private static void lookUp(Connection c, List<Event> drafts, Map<IdKey, StoredEvent> found, String sql,
                               String column, Function<Event, Optional<String>> value) throws SQLException {
        var byAccount = new HashMap<Long, Map<String, IdKey>>();
        for (Event draft : drafts) {
            IdKey key = IdKey.of(draft);
            Optional<String> v = value.apply(draft);
            if (!found.containsKey(key) && v.isPresent()) {
                byAccount.computeIfAbsent(draft.accountId().value(), a -> new HashMap<>()).put(v.get(), key);
            }
        }
        for (var account : byAccount.entrySet()) {
            var values = new ArrayList<>(account.getValue().keySet());
            for (var chunk : SizedSql.chunks(values, CHUNK)) {
                try (var ps = c.prepareStatement(sql.formatted(Placeholders.list(chunk.size())))) {
                    int p = 1;
                    ps.setLong(p++, account.getKey());
                    for (String v : chunk) {
                        ps.setString(p++, v);
                    }
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(account.getValue().get(rs.getString(column)), stored(rs));
                        }
                    }
                }
            }
        }
    }

    private static Optional<StoredEvent> selectById(Connection c, AccountId account, EventId id) throws SQLException {
        try (var ps = c.prepareStatement(BY_PUBLIC_ID)) {
            ps.setLong(1, account.value());
            ps.setString(2, id.value());
            return one(ps.executeQuery());
        }
    }

    private static Optional<StoredEvent> selectByIdempotencyKey(Connection c, AccountId account, String key)
            throws SQLException {
        try (var ps = c.prepareStatement(BY_IDEMPOTENCY_KEY)) {
            ps.setLong(1, account.value());
            ps.setString(2, key);
            return one(ps.executeQuery());
        }
    }

    private static Optional<StoredEvent> one(ResultSet rs) throws SQLException {
        try (rs) {
            return rs.next() ? Optional.of(stored(rs)) : Optional.empty();
        }
    }

    private static StoredEvent stored(ResultSet rs) throws SQLException {
        var event = new Event(new EventId(rs.getString("public_id")), new AccountId(rs.getLong("account_id")),
                rs.getString("type"), Columns.instant(rs, "occurred_at"), Columns.utf8Text(rs, "payload"),
                Columns.optionalText(rs, "idempotency_key"), Columns.optionalLong(rs, "api_key_id").map(ApiKeyId::new),
                DeliveryRows.FORMAT.read(rs, "format"),
                Columns.optionalText(rs, "uid"), EndpointRows.stringList(rs.getString("channels")));
        return new StoredEvent(rs.getLong("id"), event);
    }

    private record StoredEvent(long key, Event event) {
    }

    /** An event's key in {@link #insertEvents}' answer when it was already stored: row keys start at 1. */
    private static final long NOT_INSERTED = 0;

    private record IdKey(long account, String publicId) {
        static IdKey of(Event event) {
            return new IdKey(event.accountId().value(), event.id().value());
        }
    }

    private record IdempotencyKey(long account, String key) {
    }

    private record UidKey(long account, String uid) {
    }

    private record DeliveryRow(Event event, long eventKey, DeliveryDraft draft) {
    }
}

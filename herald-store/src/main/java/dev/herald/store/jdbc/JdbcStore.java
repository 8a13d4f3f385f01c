package dev.herald.store.jdbc;

import dev.herald.store.Accounts;
import dev.herald.store.ApiKeys;
import dev.herald.store.Deliveries;
import dev.herald.store.DeliveryHistory;
import dev.herald.store.Endpoints;
import dev.herald.store.EventTypes;
import dev.herald.store.Events;
import dev.herald.store.IdempotencyRecords;
import dev.herald.store.PlatformEventTypes;
import dev.herald.store.PlatformKeys;
import dev.herald.store.PortalTokens;
import dev.herald.store.Store;
import dev.herald.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/** The store over any JDBC database with Herald's schema; a {@link Dialect} supplies what differs. */
public final class JdbcStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    private final Dialect dialect;
    private final ConnectionSource connections;
    private final Transactions tx;
    private final Accounts accounts;
    private final ApiKeys apiKeys;
    private final PlatformKeys platformKeys;
    private final EventTypes eventTypes;
    private final PlatformEventTypes platformEventTypes;
    private final Endpoints endpoints;
    private final Events events;
    private final Deliveries deliveries;
    private final IdempotencyRecords idempotency;
    private final DeliveryHistory deliveryHistory;
    private final PortalTokens portalTokens;
    /** Deliveries and attempts join their endpoint's index in bulk on SQLite (V14, V15). */
    private final BulkIndex deliveryIndex = new BulkIndex("deliveries");
    private final BulkIndex attemptIndex = new BulkIndex("attempts");
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdbcStore(Dialect dialect, ConnectionSource connections) {
        this.dialect = dialect;
        this.connections = connections;
        this.tx = new Transactions(connections, dialect.kind());
        this.accounts = new JdbcAccounts(tx, dialect);
        this.apiKeys = new JdbcApiKeys(tx);
        this.platformKeys = new JdbcPlatformKeys(tx);
        this.eventTypes = new JdbcEventTypes(tx);
        this.platformEventTypes = new JdbcPlatformEventTypes(tx);
        this.endpoints = new JdbcEndpoints(tx, dialect);
        this.events = new JdbcEvents(tx, dialect, deliveryIndex);
        this.deliveries = new JdbcDeliveries(tx, dialect, attemptIndex);
        this.idempotency = new JdbcIdempotencyRecords(tx);
        this.deliveryHistory = new JdbcDeliveryHistory(tx);
        this.portalTokens = new JdbcPortalTokens(tx);
    }

    /** A store that owns {@code connections} and closes them with itself; the schema must be migrated. */
    public static JdbcStore create(Dialect dialect, ConnectionSource connections) {
        return new JdbcStore(dialect, connections);
    }

    @Override
    public Accounts accounts() {
        return accounts;
    }

    @Override
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    @Override
    public PlatformKeys platformKeys() {
        return platformKeys;
    }

    @Override
    public EventTypes eventTypes() {
        return eventTypes;
    }

    @Override
    public PlatformEventTypes platformEventTypes() {
        return platformEventTypes;
    }

    @Override
    public Endpoints endpoints() {
        return endpoints;
    }

    @Override
    public Events events() {
        return events;
    }

    @Override
    public Deliveries deliveries() {
        return deliveries;
    }

    @Override
    public IdempotencyRecords idempotency() {
        return idempotency;
    }

    @Override
    public DeliveryHistory deliveryHistory() {
        return deliveryHistory;
    }

    @Override
    public PortalTokens portalTokens() {
        return portalTokens;
    }

    @Override
    public void catchUp() {
        deliveryIndex.catchUp(tx);
        attemptIndex.catchUp(tx);
    }

    @Override
    public boolean isReachable() {
        if (closed.get()) {
            return false;
        }
        try {
            return tx.read("ping the database", c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (StoreException e) {
            LOG.debug("store: {} database unreachable: {}", dialect.kind(), e.getMessage());
            return false;
        }
    }

    @Override
    public String kind() {
        return dialect.kind();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connections.close();
            LOG.info("store: {} closed", dialect.kind());
        }
    }
}

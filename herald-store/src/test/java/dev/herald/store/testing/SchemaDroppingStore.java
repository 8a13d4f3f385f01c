package dev.herald.store.testing;

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

import java.sql.DriverManager;
import java.sql.SQLException;

/** A test's PostgreSQL store that drops its private schema when closed, so test runs leave nothing behind. */
final class SchemaDroppingStore implements Store {
    private final Store store;
    private final String adminUrl;
    private final String schema;

    SchemaDroppingStore(Store store, String adminUrl, String schema) {
        if (!schema.matches("herald_test_[0-9a-f]+")) {
            throw new IllegalArgumentException("only generated test schemas are dropped");
        }
        this.store = store;
        this.adminUrl = adminUrl;
        this.schema = schema;
    }

    String adminUrl() {
        return adminUrl;
    }

    String schema() {
        return schema;
    }

    @Override
    public Accounts accounts() {
        return store.accounts();
    }

    @Override
    public ApiKeys apiKeys() {
        return store.apiKeys();
    }

    @Override
    public PlatformKeys platformKeys() {
        return store.platformKeys();
    }

    @Override
    public EventTypes eventTypes() {
        return store.eventTypes();
    }

    @Override
    public PlatformEventTypes platformEventTypes() {
        return store.platformEventTypes();
    }

    @Override
    public Endpoints endpoints() {
        return store.endpoints();
    }

    @Override
    public Events events() {
        return store.events();
    }

    @Override
    public Deliveries deliveries() {
        return store.deliveries();
    }

    @Override
    public IdempotencyRecords idempotency() {
        return store.idempotency();
    }

    @Override
    public DeliveryHistory deliveryHistory() {
        return store.deliveryHistory();
    }

    @Override
    public PortalTokens portalTokens() {
        return store.portalTokens();
    }

    @Override
    public void catchUp() {
        store.catchUp();
    }

    @Override
    public boolean isReachable() {
        return store.isReachable();
    }

    @Override
    public String kind() {
        return store.kind();
    }

    @Override
    public void close() {
        store.close();
        // The schema name is generated and checked in the constructor; identifiers cannot be bound.
        try (var c = DriverManager.getConnection(adminUrl); var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop test schema " + schema, e);
        }
    }
}

package dev.herald.store;

/**
 * Herald's persistence: one instance per process, owning its connections. Implementations are
 * {@code sqlite.SqliteStore} (embedded, the default) and {@code postgres.PostgresStore} (cluster);
 * both pass the same contract test suite.
 */
public interface Store extends AutoCloseable {
    Accounts accounts();

    ApiKeys apiKeys();

    PlatformKeys platformKeys();

    EventTypes eventTypes();

    /** The platform's own event types, shared by every account. */
    PlatformEventTypes platformEventTypes();

    Endpoints endpoints();

    Events events();

    Deliveries deliveries();

    IdempotencyRecords idempotency();

    /** An endpoint's deliveries filtered, and its attempts per hour, for people looking at it. */
    DeliveryHistory deliveryHistory();

    /** The customer portal's links and sessions. */
    PortalTokens portalTokens();

    /**
     * Does now the bookkeeping the store defers to do in bulk: on SQLite, adding the deliveries and attempts written
     * since the last marking to their endpoint's index (writing them does it every 10,000, and opening the store once;
     * reads see every row either way). Nothing to do on PostgreSQL.
     */
    void catchUp();

    /** A cheap round trip to the database; false when it cannot be reached. */
    boolean isReachable();

    /** {@code sqlite} or {@code postgres}, for logs, metrics and reports. */
    String kind();

    @Override
    void close();
}

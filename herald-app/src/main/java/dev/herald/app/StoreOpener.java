package dev.herald.app;

import dev.herald.app.config.StoreLocation;
import dev.herald.store.Store;
import dev.herald.store.postgres.PostgresStore;
import dev.herald.store.sqlite.SqliteStore;
import io.micrometer.core.instrument.MeterRegistry;

/** Opens (and migrates) the configured store. */
final class StoreOpener {
    private StoreOpener() {
    }

    static Store open(StoreLocation location) {
        return switch (location) {
            case StoreLocation.Sqlite s -> SqliteStore.open(s.directory());
            case StoreLocation.Postgres p -> PostgresStore.open(p.jdbcUrl(), p.poolSize());
        };
    }

    /**
     * Like {@link #open(StoreLocation)}; the store counts its statements in {@code meters}, and a PostgreSQL pool
     * also reports its metrics there.
     */
    static Store open(StoreLocation location, MeterRegistry meters) {
        return switch (location) {
            case StoreLocation.Sqlite s -> SqliteStore.open(s.directory(), meters);
            case StoreLocation.Postgres p -> PostgresStore.open(p.jdbcUrl(), p.poolSize(), meters);
        };
    }
}

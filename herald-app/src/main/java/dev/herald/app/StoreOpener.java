package dev.herald.app;

import dev.herald.app.config.StoreLocation;
import dev.herald.store.Store;
import dev.herald.store.postgres.PostgresStore;
import dev.herald.store.sqlite.SqliteStore;

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
}

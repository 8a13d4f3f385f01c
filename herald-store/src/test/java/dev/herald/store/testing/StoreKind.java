package dev.herald.store.testing;

import dev.herald.store.Store;
import dev.herald.store.jdbc.Dialect;
import dev.herald.store.postgres.PostgresStore;
import dev.herald.store.sqlite.SqliteStore;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;

/** The store implementations, for running one test class against each (e.g. with {@code @EnumSource}). */
public enum StoreKind {
    SQLITE {
        @Override
        public Store open(Path dir) {
            return TestStores.sqlite(dir);
        }

        @Override
        public Store open(Path dir, MeterRegistry registry) {
            return TestStores.sqlite(dir, registry);
        }

        @Override
        public Dialect dialect() {
            return SqliteStore.dialect();
        }
    },
    POSTGRES {
        @Override
        public Store open(Path dir) {
            return TestStores.postgres();
        }

        @Override
        public Store open(Path dir, MeterRegistry registry) {
            return TestStores.postgres(registry);
        }

        @Override
        public Dialect dialect() {
            return PostgresStore.dialect();
        }
    };

    /** A fresh, empty store; {@code dir} is used by SQLite only. */
    public abstract Store open(Path dir);

    /** As {@link #open(Path)}, with the store's metrics (statement counts, pool) in {@code registry}. */
    public abstract Store open(Path dir, MeterRegistry registry);

    /** The statements the kind's stores send where the dialects differ. */
    public abstract Dialect dialect();
}

package dev.herald.store.testing;

import dev.herald.store.Store;

import java.nio.file.Path;

/** The store implementations, for running one test class against each (e.g. with {@code @EnumSource}). */
public enum StoreKind {
    SQLITE {
        @Override
        public Store open(Path dir) {
            return TestStores.sqlite(dir);
        }
    },
    POSTGRES {
        @Override
        public Store open(Path dir) {
            return TestStores.postgres();
        }
    };

    /** A fresh, empty store; {@code dir} is used by SQLite only. */
    public abstract Store open(Path dir);
}

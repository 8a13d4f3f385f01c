package dev.herald.store.contract;

import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Base of the contract suite: each subclass is a {@code @ParameterizedClass} over {@link StoreKind}, so every
 * contract test runs against SQLite and PostgreSQL alike, each on a fresh store.
 */
abstract class StoreContractTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    final StoreKind kind;
    @TempDir
    Path dir;
    Store store;

    StoreContractTest(StoreKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void openStore() {
        store = kind.open(dir);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }
}

package dev.herald.store.contract;

import dev.herald.store.StoreUnavailableException;
import dev.herald.store.postgres.PostgresStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A database that cannot be reached is reported as unavailable (503), not as an internal error. */
class PostgresUnavailableTest {
    @Test
    void openingAgainstAClosedPortIsUnavailable() {
        assertThatThrownBy(() -> PostgresStore.open("jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=2", 1))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageNotContaining("user=postgres");
    }
}

package dev.herald.store.postgres;

import dev.herald.store.Store;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V16: on the tables every delivery writes, PostgreSQL checks only the foreign keys that no writing statement
 * guarantees (each check is a query and a lock on the parent row, per row written), and the attempts' key to their
 * delivery while nodes of the release before may run beside this one.
 */
class PostgresForeignKeysTest {
    private static final String FOREIGN_KEYS = """
            SELECT c.conrelid::regclass::text || '.' || a.attname || ' -> ' || c.confrelid::regclass::text
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
              AND c.conrelid::regclass::text IN ('deliveries', 'attempts', 'events')""";

    @Test
    void theHotTablesKeepOnlyTheForeignKeysNoWritingStatementGuarantees() throws SQLException {
        try (Store store = TestStores.postgres(); var c = TestStores.connect(store, null);
             var st = c.createStatement(); var rs = st.executeQuery(FOREIGN_KEYS)) {
            var keys = new ArrayList<String>();
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            assertThat(keys).containsExactlyInAnyOrder("deliveries.endpoint_id -> endpoints",
                    "events.account_id -> accounts", "attempts.delivery_id -> deliveries");
        }
    }
}

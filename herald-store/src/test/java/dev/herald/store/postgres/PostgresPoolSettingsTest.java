package dev.herald.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.store.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's connections behave as the store's batches expect. */
class PostgresPoolSettingsTest {
    @Test
    void batchedInsertsReachTheServerAsMultiRowInserts() throws Exception {
        String url = TestStores.postgresUrl();
        TestStores.requirePostgres(url);
        try (var pool = new HikariDataSource(PostgresStore.poolConfig(url, 1));
             var c = pool.getConnection()) {
            try (var create = c.createStatement()) {
                create.execute("CREATE TEMPORARY TABLE batch_probe (n INTEGER NOT NULL)");
            }
            try (var insert = c.prepareStatement("INSERT INTO batch_probe (n) VALUES (?)")) {
                for (int n = 0; n < 4; n++) {
                    insert.setInt(1, n);
                    insert.addBatch();
                }
                // one INSERT per row would report 1 for each; the driver rewrites four rows (a power of two, as it
                // groups them) into one multi-row INSERT, which reports no per-row count
                assertThat(insert.executeBatch()).containsOnly(Statement.SUCCESS_NO_INFO);
            }
            try (var count = c.createStatement(); var rs = count.executeQuery("SELECT count(*) FROM batch_probe")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(4);
            }
            c.rollback();
        }
    }

    /** Autovacuum off (a server setting some CI machines carry) is named at open, with what to do about it. */
    @Test
    void autovacuumOffIsWarnedAboutAndOnIsNot() {
        assertThat(PostgresStore.autovacuumWarning("off")).hasValueSatisfying(warning -> assertThat(warning)
                .contains("autovacuum is off").contains("VACUUM"));
        assertThat(PostgresStore.autovacuumWarning("on")).isEmpty();
        assertThat(PostgresStore.autovacuumWarning("OFF ")).isPresent();
    }
}

package dev.herald.store.jdbc;

import dev.herald.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On SQLite an endpoint's attempts are read through its index, for those marked indexed, and through the ids above
 * the mark, for those recorded since; never by reading the whole table.
 */
class EndpointAttemptsPlanTest {
    @TempDir
    Path dir;

    @Test
    void anEndpointsAttemptsAreReadThroughItsIndexAndTheIdsAboveTheMark() throws Exception {
        SqliteStore.open(dir).close();
        var plan = new ArrayList<String>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("herald.db"));
             var ps = c.prepareStatement("EXPLAIN QUERY PLAN " + JdbcDeliveries.ENDPOINT_ATTEMPT_IDS)) {
            ps.setLong(1, 3);
            ps.setLong(2, 3);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getString("detail"));
                }
            }
        }

        assertThat(plan).anySatisfy(step -> assertThat(step).contains("INDEX attempts_endpoint_time"))
                .anySatisfy(step -> assertThat(step).contains("USING INTEGER PRIMARY KEY (rowid>?)"))
                .noneSatisfy(step -> assertThat(step).startsWith("SCAN attempts "));
    }
}

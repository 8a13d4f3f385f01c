package dev.herald.store.jdbc;

import dev.herald.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On SQLite a page of an endpoint's attempts is read through its index, for those marked indexed, in the index's
 * order and cut at the page's length (no sort of all of the endpoint's attempts), and through the ids above the mark,
 * for those recorded since; never by reading the whole table.
 */
class EndpointAttemptsPlanTest {
    @TempDir
    Path dir;

    @Test
    void aPageOfAnEndpointsAttemptsIsReadInItsIndexsOrderAndTheIdsAboveTheMark() throws Exception {
        SqliteStore.open(dir).close();
        var plan = new ArrayList<String>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("herald.db"));
             var ps = c.prepareStatement("EXPLAIN QUERY PLAN " + JdbcDeliveries.ATTEMPTS_OF_ENDPOINT_NEWEST)) {
            for (int i = 1; i <= 11; i++) {
                ps.setLong(i, 3);
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getInt("id") + " " + rs.getInt("parent") + " " + rs.getString("detail"));
                }
            }
        }

        assertThat(plan).as(String.join("\n", plan))
                .anySatisfy(step -> assertThat(step).contains("INDEX attempts_endpoint_time (endpoint_id=? AND attempted_at<?)"))
                .anySatisfy(step -> assertThat(step).contains("USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"))
                .noneSatisfy(step -> assertThat(step).containsPattern("SCAN attempts( |$)"));
        // the marked branch: the index gives the order, so the only sorts are the recent branch's and the page's
        assertThat(plan.stream().filter(step -> step.contains("USE TEMP B-TREE FOR ORDER BY")).count())
                .as(String.join("\n", plan)).isLessThanOrEqualTo(2);
    }
}

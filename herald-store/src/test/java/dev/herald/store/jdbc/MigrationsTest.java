package dev.herald.store.jdbc;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsTest {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+)__.+\\.sql");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"db/sqlite", "db/postgres"})
    void theLatestVersionIsTheNewestMigrationFileOfEachDialect(String location) throws Exception {
        List<Integer> versions;
        try (Stream<Path> files = Files.list(Path.of(Objects.requireNonNull(
                Migrations.class.getClassLoader().getResource(location)).toURI()))) {
            versions = files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(java.util.regex.Matcher::matches).map(m -> Integer.parseInt(m.group(1))).sorted().toList();
        }
        assertThat(versions).isEqualTo(IntStream.rangeClosed(1, Migrations.LATEST_VERSION).boxed().toList());
    }

    @Test
    void onlyAHistoryOfEveryVersionAppliedSuccessfullyIsCurrent() throws SQLException {
        var dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("herald.db"));
        try (var c = dataSource.getConnection()) {
            assertThat(Migrations.isCurrent(c)).as("no history table").isFalse();
            Flyway.configure().dataSource(dataSource).locations("classpath:db/sqlite")
                    .target(Integer.toString(Migrations.LATEST_VERSION - 1)).load().migrate();
            assertThat(Migrations.isCurrent(c)).as("one version behind").isFalse();
            Flyway.configure().dataSource(dataSource).locations("classpath:db/sqlite").load().migrate();
            assertThat(Migrations.isCurrent(c)).as("every version applied").isTrue();

            try (var s = c.createStatement()) {
                s.executeUpdate("UPDATE flyway_schema_history SET success = 0 WHERE version = '3'");
                assertThat(Migrations.isCurrent(c)).as("a failed version").isFalse();
                s.executeUpdate("UPDATE flyway_schema_history SET success = 1 WHERE version = '3'");
                s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                        + " installed_by, execution_time, success) VALUES (99, '" + (Migrations.LATEST_VERSION + 1)
                        + "', 'newer', 'SQL', 'V99__newer.sql', 'test', 0, 1)");
                assertThat(Migrations.isCurrent(c)).as("a version newer than this Herald's").isFalse();
            }
        }
    }
    @Test
    void aRunThatAppliedMigrationsReportsTheVersionItReached() {
        var result = result("1", "2");
        assertThat(Migrations.versionAfter(result)).isEqualTo("2");
    }

    @Test
    void aRunThatAppliedNothingReportsTheVersionTheSchemaAlreadyHad() {
        // Flyway leaves the target empty when the schema was up to date; the log said "version null".
        var result = result("1", null);
        assertThat(Migrations.versionAfter(result)).isEqualTo("1");
    }

    @Test
    void anEmptySchemaWithNothingToApplyHasNoVersion() {
        assertThat(Migrations.versionAfter(result(null, null))).isEqualTo("none");
    }

    private static MigrateResult result(String initial, String target) {
        var result = new MigrateResult("test", "test", "main", "sqlite");
        result.initialSchemaVersion = initial;
        result.targetSchemaVersion = target;
        return result;
    }
}

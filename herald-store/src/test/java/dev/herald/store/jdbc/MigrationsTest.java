package dev.herald.store.jdbc;

import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationsTest {
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

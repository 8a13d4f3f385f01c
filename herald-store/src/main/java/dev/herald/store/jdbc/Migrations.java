package dev.herald.store.jdbc;

import org.flywaydb.core.api.output.MigrateResult;

/** What the stores say about a Flyway run. */
public final class Migrations {
    private Migrations() {
    }

    /**
     * The schema version after {@code result}: the version migrated to, or, when nothing was applied (Flyway
     * then reports no target), the version the schema already had.
     */
    public static String versionAfter(MigrateResult result) {
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        return version != null ? version : "none";
    }
}

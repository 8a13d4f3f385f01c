package dev.herald.store.jdbc;

import org.flywaydb.core.api.output.MigrateResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** What the stores say about a Flyway run, and whether a start needs one at all. */
public final class Migrations {
    /**
     * The newest migration, {@code V<n>__…} in both {@code db/sqlite} and {@code db/postgres} (a test checks the files
     * against it): a new migration raises it, or the servers would not apply the new file.
     */
    public static final int LATEST_VERSION = 16;
    private static final String APPLIED = "SELECT version, success FROM flyway_schema_history";

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

    /**
     * True when Flyway's history on {@code connection} lists exactly versions 1 to {@link #LATEST_VERSION}, each
     * applied successfully: every start but the first and the first after an upgrade. Such a start skips Flyway
     * (loading it, scanning the class path for migrations and validating them against the history cost a cold start
     * a few hundred milliseconds). Anything else (no history table, a failed or unknown version, one missing) is
     * Flyway's to migrate, repair or refuse, as before. What a skip gives up: noticing that an applied migration's
     * file was edited afterwards, which Flyway's validation reports on the next start that migrates.
     */
    public static boolean isCurrent(Connection connection) {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(APPLIED)) {
            Set<String> versions = new HashSet<>();
            while (rows.next()) {
                String version = rows.getString(1);
                if (version == null || !rows.getBoolean(2) || !versions.add(version)) {
                    return false;
                }
            }
            for (int v = 1; v <= LATEST_VERSION; v++) {
                if (!versions.remove(Integer.toString(v))) {
                    return false;
                }
            }
            return versions.isEmpty();
        } catch (SQLException noHistoryYet) {
            return false;
        }
    }
}

package dev.herald.reliability;

import dev.herald.store.testing.TestStores;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The local PostgreSQL for the suite: fresh schemas ({@code currentSchema} in the URL) and dedicated
 * temporary databases (for the outage case), dropped again afterwards. Skips the case when unreachable.
 */
final class Pg {
    private Pg() {
    }

    static String serverUrl() {
        String url = TestStores.postgresUrl();
        TestStores.requirePostgres(url);
        return url;
    }

    /** A new schema name; Herald's migrations create it on first start. */
    static String newSchema() {
        return "herald_rel_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    static String schemaUrl(String schema) {
        return withParameter(serverUrl(), "currentSchema", schema);
    }

    static void dropSchema(String schema) {
        execute(serverUrl(), "DROP SCHEMA IF EXISTS " + identifier(schema) + " CASCADE");
    }

    /** A new empty database; returns its name. */
    static String createDatabase() {
        String name = "herald_rel_db_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        execute(serverUrl(), "CREATE DATABASE " + identifier(name));
        return name;
    }

    /** The server URL pointed at another database of the same server. */
    static String databaseUrl(String database) {
        String url = serverUrl();
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        return url.substring(0, slash + 1) + database + (query < 0 ? "" : url.substring(query));
    }

    /** Makes {@code database} refuse new connections and ends the ones it has: an outage as clients see it. */
    static void refuseConnections(String database) {
        execute(serverUrl(), "ALTER DATABASE " + identifier(database) + " ALLOW_CONNECTIONS false");
        execute(serverUrl(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + identifier(database) + "' AND pid <> pg_backend_pid()");
    }

    static void allowConnections(String database) {
        execute(serverUrl(), "ALTER DATABASE " + identifier(database) + " ALLOW_CONNECTIONS true");
    }

    static void dropDatabase(String database) {
        allowConnections(database);
        execute(serverUrl(), "DROP DATABASE IF EXISTS " + identifier(database) + " WITH (FORCE)");
    }

    /** Runs one statement on {@code url}. Names are generated plain identifiers, checked before use. */
    static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static String identifier(String name) {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a plain identifier: " + name);
        }
        return name;
    }

    private static String withParameter(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
    }
}

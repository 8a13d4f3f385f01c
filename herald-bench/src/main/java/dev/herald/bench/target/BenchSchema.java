package dev.herald.bench.target;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A throw-away PostgreSQL schema per Herald under test, so every run starts empty and leaves nothing behind. */
public final class BenchSchema {
    private static final Pattern SCHEMA_PARAM = Pattern.compile("[?&]currentSchema=(bench_[0-9a-f]+)");

    private BenchSchema() {
    }

    /** Creates a schema and returns {@code baseUrl} pointed at it. */
    public static String create(String baseUrl) {
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var c = DriverManager.getConnection(baseUrl); var st = c.createStatement()) {
            // The name is generated from hex digits here, never taken from input.
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("bench: cannot create schema " + schema + " on " + baseUrl, e);
        }
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void drop(String schemaUrl) {
        Matcher m = SCHEMA_PARAM.matcher(schemaUrl);
        if (!m.find()) {
            return;
        }
        try (var c = DriverManager.getConnection(schemaUrl); var st = c.createStatement()) {
            st.execute("DROP SCHEMA " + m.group(1) + " CASCADE");
        } catch (SQLException e) {
            System.err.println("bench: could not drop schema " + m.group(1) + ": " + e.getMessage());
        }
    }
}

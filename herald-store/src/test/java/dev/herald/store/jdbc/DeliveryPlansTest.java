package dev.herald.store.jdbc;

import dev.herald.store.sqlite.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every statement the store keeps as a constant and that reads or changes deliveries or attempts finds its rows
 * through an index on SQLite, never by reading the whole table, but for the few whose every row is a candidate
 * (listed below with the reason).
 */
class DeliveryPlansTest {
    /** Statements that read a whole table by design. */
    private static final Set<String> WHOLE_TABLE = Set.of(
            // a node's leases at shutdown: no index on the owner, run once per stop
            "JdbcDeliveries.RELEASE_LEASES",
            // the retention sweep walks attempts in delivery order, oldest first, and stops at its limit
            "JdbcDeliveries.PURGE_ATTEMPTS");
    /** A name a statement gives deliveries or attempts: {@code deliveries d}, {@code attempts AS a}. */
    private static final Pattern ALIAS = Pattern.compile("\\b(?:deliveries|attempts)\\s+(?:AS\\s+)?([a-z]\\w*)");
    /** A plan's scan step, with the index it walks if any. */
    private static final Pattern SCAN = Pattern.compile("SCAN (\\w+)(?: USING (?:COVERING )?INDEX (\\w+))?");
    /** Words that may follow a table's name and are not an alias. */
    private static final Set<String> SQL_WORDS = Set.of("where", "set", "join", "on", "group", "order", "limit",
            "union", "left", "inner", "using");

    @TempDir
    Path dir;

    @Test
    void noStatementReadsAllDeliveriesOrAllAttempts() throws Exception {
        SqliteStore.open(dir).close();
        var scans = new LinkedHashMap<String, List<String>>();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("herald.db"))) {
            var partial = new HashSet<String>();
            try (var st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'")) {
                while (rs.next()) {
                    partial.add(rs.getString(1));
                }
            }
            var statements = statements();
            assertThat(statements).as("the statements found").containsKeys("JdbcDeliveries.CANCEL_PENDING",
                    "JdbcDeliveries.COUNT_BY_STATE", "JdbcDeliveryHistory.PAGE", "JdbcAccounts.ATTEMPTS", "JdbcAccounts.DELIVERIES_TO_PURGE",
                    "JdbcEndpoints.STALLED_CIRCUITS").hasSizeGreaterThan(30);
            for (var entry : statements.entrySet()) {
                Set<String> names = namesOfTheTables(entry.getValue());
                var plan = new ArrayList<String>();
                try (var st = c.prepareStatement("EXPLAIN QUERY PLAN " + entry.getValue());
                     var rs = st.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString("detail"));
                    }
                }
                if (plan.stream().anyMatch(step -> readsAWholeTable(step, names, partial))
                        && !WHOLE_TABLE.contains(entry.getKey())) {
                    scans.put(entry.getKey(), plan);
                }
            }
        }
        assertThat(scans).isEmpty();
    }

    /** The names {@code sql} reads deliveries and attempts under: theirs and the aliases it gives them. */
    private static Set<String> namesOfTheTables(String sql) {
        var names = new HashSet<>(Set.of("deliveries", "attempts"));
        var alias = ALIAS.matcher(sql);
        while (alias.find()) {
            if (!SQL_WORDS.contains(alias.group(1))) {
                names.add(alias.group(1));
            }
        }
        return names;
    }

    /**
     * A step of the plan that reads all of deliveries or attempts (a table scan, or a scan of a whole index of it),
     * under one of {@code names}. A scan of a partial index reads only the rows it holds (pending, held, due: the
     * working set), not the table.
     */
    private static boolean readsAWholeTable(String step, Set<String> names, Set<String> partialIndexes) {
        var scan = SCAN.matcher(step);
        return scan.matches() && names.contains(scan.group(1))
                && (scan.group(2) == null || !partialIndexes.contains(scan.group(2)));
    }

    private static void addIfStatement(Map<String, String> found, String name, String sql) {
        // fragments (no WHERE) and list templates (%s) are checked in the statements made of them
        if (sql != null && !sql.contains("%s") && sql.contains("WHERE")
                && sql.matches("(?s).*\\b(deliveries|attempts)\\b.*")
                && sql.matches("(?s)\\s*(SELECT|UPDATE|DELETE|WITH|INSERT).*")) {
            found.put(name, sql);
        }
    }

    private static void addStepIfStatement(Map<String, String> found, String name, Record step)
            throws ReflectiveOperationException {
        for (var component : step.getClass().getRecordComponents()) {
            if (component.getName().equals("sql")) {
                component.getAccessor().setAccessible(true);
                addIfStatement(found, name, (String) component.getAccessor().invoke(step));
            }
        }
    }

    /** The store's SQL constants naming deliveries or attempts, by class and field, without list templates. */
    private static Map<String, String> statements() throws ReflectiveOperationException {
        var found = new LinkedHashMap<String, String>();
        for (Class<?> type : List.of(JdbcDeliveries.class, JdbcDeliveryHistory.class, JdbcAccounts.class,
                JdbcEndpoints.class, JdbcEvents.class)) {
            for (var field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                String name = type.getSimpleName() + "." + field.getName();
                if (field.getType() == String.class) {
                    addIfStatement(found, name, (String) field.get(null));
                } else if (field.get(null) instanceof DeliveriesUpdate update) {
                    addIfStatement(found, name, update.sql(SqliteStore.dialect()));
                } else if (field.get(null) instanceof Record step) {
                    addStepIfStatement(found, name, step); // a step kept as a record with its SQL (JdbcAccounts)
                } else if (field.getType() == List.class) {
                    int i = 0;
                    for (Object element : (List<?>) field.get(null)) {
                        if (element instanceof Record step) {
                            addStepIfStatement(found, name + "[" + i + "]", step);
                        }
                        i++;
                    }
                }
            }
        }
        return found;
    }
}

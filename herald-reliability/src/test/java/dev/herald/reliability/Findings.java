package dev.herald.reliability;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the cases measured (counts, duplicates, classifications), collected during the run and written to
 * {@code docs/reliability.md} by {@link ReportWriter}; plus every secret the suite created, for the log scan.
 */
final class Findings {
    /** One measured line of one case. */
    record Row(String area, String check, String measured) {
    }

    private static final ConcurrentLinkedQueue<Row> ROWS = new ConcurrentLinkedQueue<>();
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private Findings() {
    }

    static void record(String area, String check, String measured) {
        ROWS.add(new Row(area, check, measured));
    }

    static List<Row> rows() {
        return List.copyOf(ROWS);
    }

    /** A signing secret, API key or admin token the suite created; none may ever appear in a log. */
    static String secret(String value) {
        if (value != null && value.length() >= 8) {
            SECRETS.add(value);
        }
        return value;
    }

    static Set<String> secrets() {
        return Set.copyOf(SECRETS);
    }
}

package dev.herald.reliability;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the cases measured (counts, duplicates, classifications), collected during the run and written to
 * the report by {@link ReportWriter}; plus every secret the suite created, for the log scan.
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

    /** Every text field whose name mentions "secret" or "key" in a response, e.g. {@code secret_key}. */
    static void secretsIn(com.fasterxml.jackson.databind.JsonNode json) {
        json.properties().forEach(e -> {
            String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
            if (e.getValue().isTextual() && (name.contains("secret") || name.equals("key"))) {
                secret(e.getValue().asText());
            } else if (e.getValue().isContainerNode()) {
                secretsIn(e.getValue());
            }
        });
        if (json.isArray()) {
            json.forEach(Findings::secretsIn);
        }
    }

    static Set<String> secrets() {
        return Set.copyOf(SECRETS);
    }
}

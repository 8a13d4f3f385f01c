package dev.herald.app.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric-family rules of {@code promtool check metrics} (its lint of the text format), for tests: every family
 * has HELP text, counters end in {@code _total} and nothing else does, only histograms and summaries have
 * {@code _count}/{@code _sum}/{@code _bucket}, names are snake_case, and units are base units (seconds, bytes).
 */
final class PrometheusLint {
    private static final Pattern TYPE_LINE = Pattern.compile("# TYPE (\\S+) (\\S+)");
    private static final Pattern HELP_LINE = Pattern.compile("# HELP (\\S+) ?(.*)");
    private static final Pattern NON_BASE_UNIT = Pattern.compile(
            "_(milliseconds|microseconds|nanoseconds|minutes|hours|days|kilobytes|megabytes|gigabytes|percent)(_|$)");

    private PrometheusLint() {
    }

    /** The problems of every family whose name starts with {@code prefix}, one line each; empty when clean. */
    static List<String> problems(String exposition, String prefix) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            Matcher type = TYPE_LINE.matcher(line);
            if (type.matches()) {
                types.put(type.group(1), type.group(2));
            }
            Matcher h = HELP_LINE.matcher(line);
            if (h.matches()) {
                help.put(h.group(1), h.group(2));
            }
        }
        var problems = new ArrayList<String>();
        types.forEach((name, type) -> {
            if (!name.startsWith(prefix)) {
                return;
            }
            if (help.getOrDefault(name, "").isBlank()) {
                problems.add(name + ": no help text");
            }
            if (type.equals("counter") != name.endsWith("_total")) {
                problems.add(name + ": " + (type.equals("counter") ? "counter metrics should have \"_total\" suffix"
                        : "non-counter metrics should not have \"_total\" suffix"));
            }
            if (!type.equals("histogram") && !type.equals("summary")
                    && (name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket"))) {
                problems.add(name + ": non-histogram and non-summary metrics should not have a _count, _sum or _bucket suffix");
            }
            if (!name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
                problems.add(name + ": metric names should be written in 'snake_case' not 'camelCase'");
            }
            Matcher unit = NON_BASE_UNIT.matcher(name);
            if (unit.find()) {
                problems.add(name + ": use base unit (seconds, bytes) instead of " + unit.group());
            }
        });
        return problems;
    }
}

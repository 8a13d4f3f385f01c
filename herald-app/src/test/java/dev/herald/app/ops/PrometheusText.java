package dev.herald.app.ops;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests. No Java parser of the format is
 * published on Maven Central (the io.prometheus artifacts only write it), so this one enforces the format's
 * rules itself: valid metric and label names, correctly escaped label values, parseable sample values, a
 * {@code # TYPE} line before a family's samples, one TYPE per family, no duplicate series. Any violation
 * fails the parse.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TYPE_LINE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP_LINE = Pattern.compile("# HELP (\\S+)( .*)?");
    private static final Set<String> SUFFIXES = Set.of("_total", "_count", "_sum", "_bucket", "_created", "_info");

    /** One series: the metric name and its labels, sorted by label name. */
    record Series(String name, Map<String, String> labels) {
    }

    private final Map<Series, Double> samples;
    private final Map<String, String> types;

    private PrometheusText(Map<Series, Double> samples, Map<String, String> types) {
        this.samples = samples;
        this.types = types;
    }

    static PrometheusText parse(String text) {
        var samples = new LinkedHashMap<Series, Double>();
        var types = new HashMap<String, String>();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition must end with a newline");
        }
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    comment(line, types);
                } else {
                    sample(line, types, samples);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return new PrometheusText(samples, types);
    }

    private static void comment(String line, Map<String, String> types) {
        Matcher type = TYPE_LINE.matcher(line);
        if (type.matches()) {
            requireName(type.group(1));
            if (types.put(type.group(1), type.group(2)) != null) {
                throw new IllegalArgumentException("second TYPE line for " + type.group(1));
            }
            return;
        }
        Matcher help = HELP_LINE.matcher(line);
        if (help.matches()) {
            requireName(help.group(1));
            return;
        }
        if (line.startsWith("# TYPE") || line.startsWith("# HELP")) {
            throw new IllegalArgumentException("malformed TYPE/HELP line");
        }
    }

    private static void sample(String line, Map<String, String> types, Map<Series, Double> samples) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(name);
        if (family(name, types).isEmpty()) {
            throw new IllegalArgumentException("sample of " + name + " before any TYPE line for its family");
        }
        var labels = new TreeMap<String, String>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("expected a value and an optional timestamp");
        }
        double value = value(rest[0]);
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        if (samples.put(new Series(name, Map.copyOf(labels)), value) != null) {
            throw new IllegalArgumentException("duplicate series");
        }
    }

    private static int labels(String line, int i, Map<String, String> labels) {
        while (true) {
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("label without '='");
            }
            String label = line.substring(i, eq);
            if (!LABEL_NAME.matcher(label).matches()) {
                throw new IllegalArgumentException("invalid label name '" + label + "'");
            }
            if (line.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label value must be quoted");
            }
            var value = new StringBuilder();
            int j = eq + 2;
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char escaped = line.charAt(++j);
                    value.append(switch (escaped) {
                        case '\\' -> '\\';
                        case '"' -> '"';
                        case 'n' -> '\n';
                        default -> throw new IllegalArgumentException("invalid escape \\" + escaped);
                    });
                } else {
                    value.append(c);
                }
            }
            if (labels.put(label, value.toString()) != null) {
                throw new IllegalArgumentException("label " + label + " twice");
            }
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            } else if (line.charAt(i) != '}') {
                throw new IllegalArgumentException("expected ',' or '}' after a label");
            }
        }
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static void requireName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + name + "'");
        }
    }

    private static Optional<String> family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return Optional.of(name);
        }
        for (String suffix : SUFFIXES) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return Optional.of(name.substring(0, name.length() - suffix.length()));
            }
        }
        return Optional.empty();
    }

    Optional<Double> value(String name, Map<String, String> labels) {
        return Optional.ofNullable(samples.get(new Series(name, Map.copyOf(labels))));
    }

    /** Sum over every series of {@code name}, 0 when there is none. */
    /** Every series of the exposition. */
    Set<Series> series() {
        return java.util.Collections.unmodifiableSet(samples.keySet());
    }

    double sum(String name) {
        return samples.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    String type(String family) {
        return types.get(family);
    }
}

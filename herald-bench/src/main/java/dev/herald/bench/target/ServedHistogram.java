package dev.herald.bench.target;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Herald's own histogram of one route's requests, arrival to answer, as its {@code /metrics} shows it
 * ({@code herald_http_request_duration_seconds}): how many requests took at most each bucket's bound. The
 * difference of two readings covers the requests in between; its percentiles are bucket bounds, so they say
 * "at most", never an exact time.
 */
public record ServedHistogram(TreeMap<Double, Double> countAtMost) {
    private static final String FAMILY = "herald_http_request_duration_seconds_bucket{";
    private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");

    /** The buckets of the series with these labels (route, method, status) in a {@code /metrics} text; empty if none. */
    public static ServedHistogram parse(String metrics, Map<String, String> labels) {
        var counts = new TreeMap<Double, Double>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(FAMILY) || !labels.entrySet().stream()
                    .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\""))) {
                continue;
            }
            var le = LE.matcher(line);
            if (le.find()) {
                double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                counts.put(bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return new ServedHistogram(counts);
    }

    /** The requests counted since {@code earlier}. */
    public ServedHistogram since(ServedHistogram earlier) {
        var counts = new TreeMap<Double, Double>();
        countAtMost.forEach((bound, count) -> counts.put(bound, count - earlier.countAtMost.getOrDefault(bound, 0.0)));
        return new ServedHistogram(counts);
    }

    public long count() {
        return countAtMost.isEmpty() ? 0 : countAtMost.lastEntry().getValue().longValue();
    }

    /** The smallest bound (seconds) that at least {@code percentile} % of the requests stayed within; empty if none. */
    public Optional<Double> boundAt(double percentile) {
        long count = count();
        if (count == 0) {
            return Optional.empty();
        }
        double wanted = Math.ceil(percentile / 100.0 * count);
        return countAtMost.entrySet().stream().filter(bucket -> bucket.getValue() >= wanted).map(Map.Entry::getKey)
                .findFirst();
    }
}

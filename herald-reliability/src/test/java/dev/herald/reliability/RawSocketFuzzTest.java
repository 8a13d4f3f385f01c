package dev.herald.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.testing.WebhookReceiver;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of a running Herald over raw sockets (jqwik, seeded so a failure reproduces): random
 * methods, paths, headers, framings and bodies on every surface. Every answer is below 500, carries
 * {@code X-Request-Id}, and an error body parses and carries its surface's code; {@code /metrics} keeps every label
 * in a closed set; the store's row counts never change. The counts go to the suite's report.
 */
class RawSocketFuzzTest {
    /** Fixed, so CI runs the same cases every time; change it to explore, and keep it when a case fails. */
    static final String SEED = "28028";
    /** About 40 s on two busy cores; the suite's budget for this case is a minute. */
    static final int TRIES = 2_000;
    /** The store and the metrics are checked after this many requests, and after the last. */
    private static final int CHECK_EVERY = 250;
    private static final int MAX_METRICS_BYTES = 1 << 20;
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Set<String> METHOD_LABELS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "other");

    private static Path dir;
    private static HeraldNode herald;
    private static WebhookReceiver receiver;
    private static HostileRequests.Target target;
    private static Map<String, Long> rowsBefore;
    private static Set<String> routeLabels;
    private static final AtomicInteger sent = new AtomicInteger();
    private static final AtomicInteger unanswered = new AtomicInteger();
    private static final Map<String, Integer> statuses = new TreeMap<>();
    private static volatile int largestMetricsBytes;
    private static volatile int httpSeries;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("herald-fuzz");
        receiver = WebhookReceiver.start();
        herald = HeraldNode.start(HeraldSettings.local("sqlite:" + dir.resolve("data")), dir);
        var resources = Resources.create(herald, "fuzz", receiver.url("/fuzz"));
        var readable = new ArrayList<String>();
        resources.routes().stream().filter(r -> r.method().equals("GET")).forEach(r -> readable.add(r.path()));
        Resources.adminRoutes(resources.tenant().account(), resources.tenant().keyId()).stream()
                .filter(r -> r.method().equals("GET")).forEach(r -> readable.add(r.path()));
        target = new HostileRequests.Target(resources.tenant().key(), herald.adminToken(), List.copyOf(readable));
        routeLabels = new HashSet<>();
        herald.herald().routes().forEach(r -> routeLabels.add(r.path()));
        routeLabels.add("unmatched");
        rowsBefore = Resources.rowCounts(dir.resolve("data"));
    }

    @AfterContainer
    static void stop() throws IOException {
        try {
            Findings.record("Fuzz (jqwik, raw sockets)", sent.get() + " seeded requests (seed " + SEED
                            + "): random and invented methods, encoded/traversal/oversized paths and queries on every "
                            + "surface, duplicated/oversized headers, 10 framings, JSON-like trees, deep nesting, huge "
                            + "numbers, invalid UTF-8",
                    "statuses " + statuses + "; closed without an answer: " + unanswered.get() + "; 5xx: "
                            + statuses.entrySet().stream().filter(e -> e.getKey().startsWith("5"))
                            .mapToInt(Map.Entry::getValue).sum()
                            + "; /metrics at most " + largestMetricsBytes / 1024 + " KiB with " + httpSeries
                            + " herald_http sample lines, every label from a closed set; store rows unchanged ("
                            + rowsBefore.values().stream().mapToLong(Long::longValue).sum() + ")");
        } finally {
            herald.close();
            receiver.close();
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<HostileRequests.Request> requests() {
        return HostileRequests.requests(target);
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void everyHostileRequestGetsAnAnswerWithACodeAndChangesNothing(@ForAll("requests") HostileRequests.Request request) {
        var answer = exchange(request);
        int n = sent.incrementAndGet();
        if (answer.isEmpty()) {
            unanswered.incrementAndGet();
            assertThat(request.framing()).as("a well-framed request closed without an answer: " + request)
                    .isNotIn(HostileRequests.Framing.NONE, HostileRequests.Framing.LENGTH, HostileRequests.Framing.CHUNKED);
        } else {
            var response = answer.get();
            synchronized (statuses) {
                statuses.merge(Integer.toString(response.status()), 1, Integer::sum);
            }
            assertThat(response.status()).as(request + " -> " + response).isLessThan(500);
            assertThat(response.header("X-Request-Id")).as(request + " -> " + response)
                    .hasValueSatisfying(id -> assertThat(id).startsWith("req_"));
            if (response.status() >= 400 && !request.isHead()) {
                assertThat(errorCode(surfaceOf(request.path()), response)).as(request + " -> " + response).isNotEmpty();
            }
        }
        if (n % CHECK_EVERY == 0 || n == TRIES) {
            assertThat(Resources.rowCounts(dir.resolve("data"))).as("rows after " + n + " requests").isEqualTo(rowsBefore);
            checkMetrics();
        }
    }

    private static java.util.Optional<RawHttp.Response> exchange(HostileRequests.Request request) {
        try {
            return RawHttp.exchange(herald.base().getPort(), request.bytes(target), request.isHead());
        } catch (IOException e) {
            throw new UncheckedIOException(request.toString(), e);
        }
    }

    /** Every series of every metric: labels from closed sets, and the exposition of a bounded size. */
    private static void checkMetrics() {
        var metrics = herald.anonymous().get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        int bytes = metrics.body().getBytes(StandardCharsets.UTF_8).length;
        largestMetricsBytes = Math.max(largestMetricsBytes, bytes);
        assertThat(bytes).as("/metrics size").isLessThan(MAX_METRICS_BYTES);
        int http = 0;
        for (String line : metrics.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher series = SERIES.matcher(line);
            assertThat(series.matches()).as("a sample line: " + line).isTrue();
            var labels = new TreeMap<String, String>();
            if (series.group(2) != null) {
                Matcher label = LABEL.matcher(series.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            // nothing a request carried: its paths, ids, invented methods
            assertThat(labels.values()).as(line).noneMatch(v -> v.contains("fuzz") || v.contains("nope")
                    || v.contains("..") || v.contains("%") || v.equals("BREW") || v.equals("M1X"));
            if (series.group(1).startsWith("herald_http_")) {
                http++;
                assertThat(labels.get("method")).as(line).isIn(METHOD_LABELS);
                assertThat(labels.get("route")).as(line).isIn(routeLabels);
                assertThat(labels.get("status")).as(line).matches("[1-5][0-9][0-9]");
            }
        }
        httpSeries = http;
    }

    /**
     * The surface Herald will judge the request target to belong to, by its prefix; "any" when dot segments, empty
     * segments or encoded dots make the prefix depend on how the server resolves them.
     */
    private static String surfaceOf(String target) {
        String path = target.startsWith("http://h") ? target.substring("http://h".length()) : target;
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        if (!path.startsWith("/") || lower.contains("/.") || path.contains("//") || lower.contains("%2e")
                || lower.contains("%2f") || path.contains("\\")) {
            return "any";
        }
        if (path.startsWith("/api/integrations/")) {
            return "midmarket";
        }
        if (path.equals("/api/v1/webhooks") || path.startsWith("/api/v1/webhooks/")) {
            return "apimall";
        }
        if (path.startsWith("/api/v1/webhooks")) {
            // a fragment, path parameter or the like after API Mall's base: which surface depends on how it is parsed
            return "any";
        }
        if (path.startsWith("/api/v1/") || path.equals("/api/v1")) {
            return "svix";
        }
        return "canonical";
    }

    /**
     * The code of an error in its surface's shape; Jetty's refusals before routing carry every shape at once. For
     * a path whose surface depends on how it is decoded, any surface's shape is accepted.
     */
    private static String errorCode(String surface, RawHttp.Response response) {
        JsonNode json;
        try {
            json = Http.JSON.readTree(response.body());
        } catch (IOException e) {
            return "";
        }
        if (json == null) {
            return "";
        }
        String canonical = json.path("error").path("code").asText("");
        String apiMall = json.path("success").asBoolean(true) ? "" : canonical;
        JsonNode detail = json.path("detail");
        String midmarket = detail.isTextual() ? detail.asText()
                : detail.isArray() && detail.size() > 0 && detail.get(0).has("type") ? detail.get(0).get("type").asText()
                : "";
        String svix = json.path("code").isTextual() ? json.path("code").asText() : midmarket;
        return switch (surface) {
            case "apimall" -> apiMall;
            case "svix" -> svix;
            case "midmarket" -> midmarket;
            case "canonical" -> canonical;
            default -> !canonical.isEmpty() ? canonical : !svix.isEmpty() ? svix : midmarket;
        };
    }
}

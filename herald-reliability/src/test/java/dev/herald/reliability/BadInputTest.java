package dev.herald.reliability;

import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated corpus of bad requests against every route of every surface (canonical, API Mall, Midmarket,
 * admin): never a 5xx, every error carries a code in its surface's shape, and no table gains a row.
 */
@Order(5)
class BadInputTest {
    @TempDir
    static Path dir;
    private static HeraldNode herald;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start();
        herald = HeraldNode.start(HeraldSettings.local("sqlite:" + dir.resolve("data")), dir);
    }

    @AfterAll
    static void stop() {
        herald.close();
        receiver.close();
    }

    /** The corpus: name → body bytes. */
    static Map<String, byte[]> bodies() {
        var bodies = new LinkedHashMap<String, byte[]>();
        String url = "http://127.0.0.1:1/x";
        put(bodies, "empty", "");
        put(bodies, "not JSON", "{not json");
        put(bodies, "JSON array", "[]");
        put(bodies, "JSON string", "\"text\"");
        put(bodies, "JSON number", "123");
        put(bodies, "JSON null", "null");
        put(bodies, "type confusion", "{\"url\":123,\"events\":\"delivered\",\"type\":{},\"data\":[],\"name\":false,"
                + "\"endpointUrl\":[1],\"eventTypes\":{\"a\":1},\"status\":7,\"secret\":1,\"since\":true}");
        put(bodies, "huge numbers", "{\"url\":\"" + url + "\",\"events\":[\"delivered\"],\"rate_limit\":1e400,"
                + "\"name\":123456789012345678901234567890,\"type\":-1e999}");
        put(bodies, "deep nesting", "{\"data\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"type\":\"delivered\"}");
        var invalidUtf8 = new java.io.ByteArrayOutputStream();
        invalidUtf8.writeBytes("{\"type\":\"delivered\",\"name\":\"".getBytes(StandardCharsets.UTF_8));
        invalidUtf8.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28});
        invalidUtf8.writeBytes("\",\"url\":\"http://127.0.0.1:1/\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1));
        bodies.put("invalid UTF-8", invalidUtf8.toByteArray());
        put(bodies, "1 MiB+ body", "{\"type\":\"delivered\",\"data\":{\"x\":\"" + "a".repeat((1 << 20) + 10) + "\"}}");
        put(bodies, "unknown fields", "{\"zzz\":1,\"__proto__\":{},\"constructor\":1}");
        put(bodies, "missing fields", "{}");
        put(bodies, "header injection in custom headers", "{\"url\":\"" + url + "\",\"events\":[\"delivered\"],"
                + "\"headers\":{\"X-Ok\":\"v\\r\\nInjected: 1\",\"Bad Name\\r\\n\":\"x\"}}");
        put(bodies, "CRLF in URL", "{\"url\":\"" + url + "\\r\\nHost: evil\",\"events\":[\"delivered\"],"
                + "\"endpointUrl\":\"" + url + "\\r\\nX: y\",\"eventTypes\":[\"delivered\"]}");
        put(bodies, "NUL and control characters", "{\"name\":\"a\\u0000b\",\"type\":\"deli\\u0000vered\",\"data\":{},"
                + "\"url\":\"http://127.0.0.1:1/\\u0000\",\"events\":[\"\\u0000\"]}");
        return bodies;
    }

    private static void put(Map<String, byte[]> bodies, String name, String text) {
        bodies.put(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noBadRequestCausesA5xxOrACodelessErrorOrAStoredRow() {
        var resources = Resources.create(herald, "badinput", receiver.url("/bad"));
        Tenant spare = herald.newTenant("spare");
        var routes = new ArrayList<>(resources.routes());
        routes.addAll(Resources.adminRoutes(spare.account(), spare.keyId()));
        var countsBefore = Resources.rowCounts(dir.resolve("data"));
        var failures = new ArrayList<String>();
        int requests = 0;
        int accepted = 0;
        for (var route : routes) {
            Http http = route.surface().equals("admin") ? herald.admin() : herald.as(resources.tenant());
            boolean hasBody = route.method().equals("POST") || route.method().equals("PATCH");
            var cases = new LinkedHashMap<String, Optional<byte[]>>();
            if (hasBody) {
                bodies().forEach((name, body) -> cases.put(name, Optional.of(body)));
                if (route.method().equals("PATCH") || route.path().matches(".*/(keys|rotate|test|retry)$")) {
                    // no body / {} is a valid request here (an empty patch, a key with the default name, a
                    // generated secret, a test send, a manual retry)
                    cases.remove("empty");
                    cases.remove("missing fields");
                }
            } else if (route.method().equals("GET")) {
                cases.put("body on GET", Optional.of("{\"x\":".getBytes(StandardCharsets.UTF_8)));
            }
            for (var c : cases.entrySet()) {
                requests++;
                var r = http.send(route.method(), route.path(), c.getValue(), Map.of());
                String where = route + " with " + c.getKey() + " -> " + r;
                if (r.status() >= 500) {
                    failures.add("5xx: " + where);
                } else if (r.status() >= 400) {
                    if (Resources.errorCode(route.surface(), r).isEmpty()) {
                        failures.add("no error code: " + where);
                    }
                } else if (hasBody) {
                    accepted++;
                    failures.add("accepted: " + where);
                }
            }
            // odd ids in the path of id routes
            if (route.path().chars().filter(ch -> ch == '/').count() > 3 && !route.surface().equals("admin")) {
                for (String odd : List.of("%00", "..%2F..%2Fadmin", "-1", "99999999999999999999999", "a".repeat(3000),
                        "%E2%80%AE", "wh_%0d%0aX:1")) {
                    String path = route.path().replaceFirst("/(wh_|evt_|dlv_|tenant\\.|\\d)[^/]*", "/" + odd);
                    requests++;
                    var r = http.send(route.method(), path, Optional.empty(), Map.of());
                    if (r.status() >= 500 || (r.status() >= 400 && Resources.errorCode(route.surface(), r).isEmpty())) {
                        failures.add("odd id: " + route.method() + " " + path.substring(0, Math.min(120, path.length()))
                                + " -> " + r);
                    }
                }
            }
        }
        var countsAfter = Resources.rowCounts(dir.resolve("data"));
        Findings.record("Bad input", routes.size() + " routes × " + bodies().size() + " bodies (+ odd path ids)",
                requests + " requests, " + failures.size() + " failures, " + accepted + " accepted; rows before "
                        + countsBefore.values().stream().mapToLong(Long::longValue).sum() + ", after "
                        + countsAfter.values().stream().mapToLong(Long::longValue).sum());
        assertThat(failures).as("bad requests answered wrongly").isEmpty();
        assertThat(countsAfter).as("rows per table").isEqualTo(countsBefore);
    }
}

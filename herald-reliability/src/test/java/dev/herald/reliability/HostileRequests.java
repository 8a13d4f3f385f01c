package dev.herald.reliability;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Generators of hostile HTTP/1.x requests for {@link RawSocketFuzzTest}: invented and real methods, every surface's
 * paths with encoded, traversal and oversized forms, headers of every size, duplicated and conflicting framing, and
 * bodies from JSON-like trees to deep nesting, huge numbers and invalid UTF-8. No generated request can change what
 * is stored: real ids appear only with read methods, the admin token only with read methods, and every generated
 * string holds a space, which no URL, event type or id accepts.
 */
final class HostileRequests {
    /** How the body is framed on the wire, including the broken and ambiguous ways. */
    enum Framing {
        NONE, LENGTH, SHORT_LENGTH, NEGATIVE_LENGTH, CONFLICTING_LENGTHS, CHUNKED, BAD_CHUNK_SIZE,
        OVERFLOWING_CHUNK_SIZE, LENGTH_AND_CHUNKED, HTTP10_CHUNKED
    }

    /** Which credential the request carries, and how. */
    enum Credential { NONE, KEY_AS_BEARER, KEY_AS_HEADER, ADMIN_AS_BEARER, ADMIN_AS_HEADER, GARBAGE, TWO_KEYS }

    /** The secrets and real ids of the Herald under test. */
    record Target(String key, String adminToken, List<String> readablePaths) {
    }

    /** One generated request, rendered to bytes by {@link #bytes}. */
    record Request(String method, String path, Credential credential, List<Map.Entry<String, String>> headers,
                   byte[] body, Framing framing, int chunkSize) {
        boolean isHead() {
            return method.equals("HEAD");
        }

        byte[] bytes(Target target) {
            var head = new StringBuilder();
            head.append(method).append(' ').append(path).append(' ')
                    .append(framing == Framing.HTTP10_CHUNKED ? "HTTP/1.0" : "HTTP/1.1").append("\r\n");
            switch (credential) {
                case KEY_AS_BEARER -> header(head, "Authorization", "Bearer " + target.key());
                case KEY_AS_HEADER -> header(head, "X-API-Key", target.key());
                case ADMIN_AS_BEARER -> header(head, "Authorization", "Bearer " + target.adminToken());
                case ADMIN_AS_HEADER -> header(head, "X-API-Key", target.adminToken());
                case GARBAGE -> header(head, "Authorization", "Bearer sk_live_" + "0".repeat(64));
                case TWO_KEYS -> {
                    header(head, "Authorization", "Bearer " + target.key());
                    header(head, "Authorization", "Basic Zm9vOmJhcg==");
                }
                case NONE -> {
                }
            }
            headers.forEach(h -> header(head, h.getKey(), h.getValue()));
            byte[] framed = switch (framing) {
                case NONE -> new byte[0];
                case LENGTH -> {
                    header(head, "Content-Length", Integer.toString(body.length));
                    yield body;
                }
                case SHORT_LENGTH -> {
                    header(head, "Content-Length", Integer.toString(body.length / 2));
                    yield body;
                }
                case NEGATIVE_LENGTH -> {
                    header(head, "Content-Length", "-1");
                    yield body;
                }
                case CONFLICTING_LENGTHS -> {
                    header(head, "Content-Length", Integer.toString(body.length));
                    header(head, "Content-Length", Integer.toString(body.length + 1));
                    yield body;
                }
                case CHUNKED, HTTP10_CHUNKED -> {
                    header(head, "Transfer-Encoding", "chunked");
                    yield chunked(body, chunkSize);
                }
                case LENGTH_AND_CHUNKED -> {
                    header(head, "Content-Length", Integer.toString(body.length));
                    header(head, "Transfer-Encoding", "chunked");
                    yield chunked(body, chunkSize);
                }
                case BAD_CHUNK_SIZE -> {
                    header(head, "Transfer-Encoding", "chunked");
                    yield concat("zz\r\n", body, "\r\n0\r\n\r\n");
                }
                case OVERFLOWING_CHUNK_SIZE -> {
                    header(head, "Transfer-Encoding", "chunked");
                    yield concat("fffffffffffffffff1\r\n", body, "\r\n0\r\n\r\n");
                }
            };
            header(head, "Connection", "close");
            head.append("\r\n");
            var out = new ByteArrayOutputStream();
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(framed);
            return out.toByteArray();
        }

        @Override
        public String toString() {
            String shownPath = path.length() > 120 ? path.substring(0, 120) + "…(" + path.length() + ")" : path;
            String shownBody = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
            return method + " " + shownPath + " [" + credential + ", " + framing + ", " + headers.size()
                    + " headers, body " + body.length + " bytes: " + shownBody + "]";
        }

        private static void header(StringBuilder head, String name, String value) {
            head.append(name).append(": ").append(value).append("\r\n");
        }

        private static byte[] chunked(byte[] body, int chunkSize) {
            var out = new ByteArrayOutputStream();
            for (int at = 0; at < body.length; at += chunkSize) {
                int n = Math.min(chunkSize, body.length - at);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }

        private static byte[] concat(String before, byte[] body, String after) {
            var out = new ByteArrayOutputStream();
            out.writeBytes(before.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            out.writeBytes(after.getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }
    }

    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final List<String> FIELD_NAMES = List.of("url", "events", "secret", "secret_key", "api_key_id",
            "description", "status", "rate_limit", "headers", "type", "data", "id", "since", "name", "endpointUrl",
            "eventTypes", "enabled", "zz", "__proto__", "");
    /** Paths on every surface whose ids name nothing, so any method is harmless. */
    private static final List<String> ANY_METHOD_PATHS = List.of(
            "/v1/webhooks", "/v1/webhooks/wh_fuzzfuzzfuzzfuzzfuzzfuzz", "/v1/webhooks/wh_fuzz/deliveries",
            "/v1/webhooks/wh_fuzz/recover", "/v1/webhooks/wh_fuzz/test", "/v1/webhooks/wh_fuzz/secret/rotate",
            "/v1/events", "/v1/events/evt_fuzz", "/v1/deliveries/dlv_fuzz", "/v1/deliveries/dlv_fuzz/retry",
            "/v1/event-types", "/v1/event-types/fuzz.none", "/api/v1/webhooks", "/api/v1/webhooks/987654321",
            "/api/integrations/webhooks/subscriptions",
            "/api/integrations/webhooks/subscriptions/" + new UUID(0x28, 0x28),
            "/admin/v1/accounts", "/admin/v1/accounts/987654/keys", "/admin/v1/keys/987654", "/health", "/ready",
            "/metrics", "/openapi.json", "/", "/nope", "/api", "/api/v1", "/admin", "/v1");
    private static final List<String> QUERIES = List.of("?limit=0", "?limit=99999999999999", "?limit=-5",
            "?per_page=1000000", "?page=0&per_page=-1", "?offset=-1&limit=1e3", "?cursor=%25ZZ", "?cursor=LTE",
            "?cursor=OTIyMzM3MjAzNjg1NDc3NTgwOA", "?status=weird&status=failed", "?since=%2B999999999-12-31T23:59:59Z",
            "?x=%00", "?" + "a=b&".repeat(600), "?limit=1&limit=2", "?%=%");

    private HostileRequests() {
    }

    static Arbitrary<Request> requests(Target target) {
        Arbitrary<String> methods = Arbitraries.frequencyOf(
                Tuple.of(60, Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")),
                Tuple.of(10, Arbitraries.of("get", "TRACE", "CONNECT", "PROPFIND", "BREW", "M1X", "GE(T", "POST ")),
                Tuple.of(10, Arbitraries.strings().withCharRange('A', 'Z').withChars('-', '_', '1')
                        .ofMinLength(1).ofMaxLength(16)));
        return methods.flatMap(method -> Combinators.combine(paths(target, method), credentials(method), headers(),
                        bodies(), Arbitraries.of(Framing.class), Arbitraries.integers().between(1, 4096))
                .as((path, credential, headers, body, framing, chunk) ->
                        new Request(method, path, credential, headers, body, framing, chunk)));
    }

    private static Arbitrary<String> paths(Target target, String method) {
        Arbitrary<String> bases = READ_METHODS.contains(method)
                ? Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(ANY_METHOD_PATHS)),
                        Tuple.of(1, Arbitraries.of(target.readablePaths())))
                : Arbitraries.of(ANY_METHOD_PATHS);
        Arbitrary<UnaryOperator<String>> mutations = Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.just(p -> p)),
                Tuple.of(15, Arbitraries.of(QUERIES).map(q -> p -> p + q)),
                Tuple.of(25, Arbitraries.of(List.<UnaryOperator<String>>of(
                        p -> p + "/", p -> "/" + p, p -> p.replaceFirst("/", "//"), p -> p + "/./", p -> p + "/..",
                        p -> p + "/../../admin/v1/accounts", p -> p + "/%2e%2e/%2e%2e/admin/v1/accounts",
                        p -> p + "/..%2F..%2Fadmin", p -> p + "%2F", p -> p + "/%00", p -> p + "%", p -> p + "/%zz",
                        p -> p + ";jsessionid=x", p -> p + "/%C3%A9%E2%80%AE", p -> p + "/é", p -> p + "/\u0001",
                        p -> p + "/" + "a".repeat(3000), p -> p + "/" + "a".repeat(9000), p -> p + "#frag",
                        p -> p.toUpperCase(java.util.Locale.ROOT), p -> "http://h" + p, p -> "*", p -> "",
                        p -> p.replace("/", "\\"), p -> p + "?" + "%".repeat(3)))),
                Tuple.of(10, Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30).map(s -> p -> p + "/" + s)));
        return Combinators.combine(bases, mutations).as((base, mutation) -> mutation.apply(base));
    }

    private static Arbitrary<Credential> credentials(String method) {
        return READ_METHODS.contains(method)
                ? Arbitraries.of(Credential.class)
                : Arbitraries.of(Credential.NONE, Credential.KEY_AS_BEARER, Credential.KEY_AS_HEADER,
                        Credential.GARBAGE, Credential.TWO_KEYS);
    }

    private static Arbitrary<List<Map.Entry<String, String>>> headers() {
        Arbitrary<Map.Entry<String, String>> one = Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.of(Map.entry("Host", "h"))),
                Tuple.of(20, Arbitraries.of("application/json", "application/json; charset=latin1", "text/plain", "",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "*/*", "application/json\u0000")
                        .map(v -> Map.entry("Content-Type", v))),
                Tuple.of(5, Arbitraries.of(Map.entry("Expect", "100-continue"), Map.entry("Connection", "keep-alive"),
                        Map.entry("Transfer-Encoding", "gzip"), Map.entry("Transfer-Encoding", "chunked, identity"),
                        Map.entry("Content-Encoding", "gzip"), Map.entry("Idempotency-Key", "fuzz key"),
                        Map.entry("X-Request-Id", "req_forged"), Map.entry("Host", "h:99999"),
                        Map.entry("Authorization", "Bearer"), Map.entry("Authorization", "Bearer " + "x".repeat(5000)))),
                Tuple.of(10, Combinators.combine(
                        Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_').ofMinLength(1).ofMaxLength(20),
                        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200)).as(Map::entry)),
                Tuple.of(2, Arbitraries.integers().between(4_000, 20_000).map(n -> Map.entry("X-Big", "b".repeat(n)))),
                Tuple.of(1, Arbitraries.of(Map.entry("Bad Name", "x"), Map.entry("X-Ctl", "a\u0000b"),
                        Map.entry("", "empty name"))));
        return one.list().ofMaxSize(8).map(list -> {
            // most requests carry one Host, as a client would; some none, some several
            var withHost = new ArrayList<>(list);
            if (withHost.stream().noneMatch(h -> h.getKey().equals("Host")) && list.size() % 5 != 4) {
                withHost.addFirst(Map.entry("Host", "h"));
            }
            return withHost;
        });
    }

    private static Arbitrary<byte[]> bodies() {
        Arbitrary<String> objects = Combinators.combine(Arbitraries.of(FIELD_NAMES), json())
                .as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(
                Tuple.of(35, objects.map(HostileRequests::utf8)),
                Tuple.of(10, json().map(HostileRequests::utf8)),
                Tuple.of(8, Arbitraries.integers().between(1, 5_000).map(n ->
                        utf8("{\"type\":\"x y\",\"data\":" + "[".repeat(n) + "]".repeat(n) + "}"))),
                Tuple.of(8, objects.map(HostileRequests::utf8).flatMap(HostileRequests::withInvalidUtf8)),
                Tuple.of(8, objects.flatMap(text -> Arbitraries.integers().between(0, text.length())
                        .map(cut -> utf8(text.substring(0, cut))))),
                Tuple.of(8, Arbitraries.of("", " ", "null", "[]", "\"x y\"", "123", "{}", "{\"\":{}}", "\u0000")
                        .map(HostileRequests::utf8)),
                Tuple.of(5, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                Tuple.of(1, Arbitraries.of(utf8("{\"type\":\"x y\",\"data\":{\"x\":\"" + "a".repeat((1 << 20) + 10) + "\"}}"))));
    }

    /** A JSON value, up to four levels of arrays and objects deep. */
    private static Arbitrary<String> json() {
        return Arbitraries.recursive(HostileRequests::scalar, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
                Combinators.combine(Arbitraries.of(FIELD_NAMES), inner).as((k, v) -> quote(k) + ":" + v)
                        .list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}")), 0, 4);
    }

    private static Arbitrary<String> scalar() {
        return Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.strings().all().ofMaxLength(30).map(s -> quote(s + " "))),
                Tuple.of(20, Arbitraries.of("0", "-1", "1", "2147483648", "9223372036854775808",
                        "-9223372036854775809", "1e400", "-1e999", "1.5", "1E-400", "-0", "0.0000001",
                        "1" + "0".repeat(120), "123456789012345678901234567890")),
                Tuple.of(10, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(10, Arbitraries.of("true", "false", "null")),
                Tuple.of(5, Arbitraries.of("NaN", "Infinity", "'x'", "0x10", "01", "+1", ".5", "\"\\ud800\"",
                        "\"a\\u0000b \"", "\"" + "z".repeat(5000) + " \"")));
    }

    private static Arbitrary<byte[]> withInvalidUtf8(byte[] valid) {
        return Arbitraries.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3, 0x28},
                        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf8, (byte) 0x88},
                        new byte[] {(byte) 0xe2, (byte) 0x82})
                .flatMap(bad -> Arbitraries.integers().between(0, valid.length).map(at -> {
                    var out = new ByteArrayOutputStream();
                    out.write(valid, 0, at);
                    out.writeBytes(bad);
                    out.write(valid, at, valid.length - at);
                    return out.toByteArray();
                }));
    }

    private static String quote(String text) {
        try {
            return Http.JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

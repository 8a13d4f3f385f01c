package dev.herald.app.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.http.RegisteredRoute;
import dev.herald.app.Herald;
import dev.herald.app.config.ConfigLoader;
import dev.herald.app.config.HeraldConfig.LogFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an attacker sends over a raw socket to a running Herald: broken chunked framing, HTTP/1.0 with
 * {@code Transfer-Encoding}, requests Jetty refuses before routing, invented methods and paths, the admin token in
 * the wrong header or in a path. Every answer is a 4xx with a code and an {@code X-Request-Id}, no metric label
 * comes from the request, and no secret reaches the log.
 */
class HostileRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_TOKEN = "hostile-admin-token-5f1e2d3c4b5a6978";

    @TempDir
    static Path dir;

    private static Herald herald;
    private static String key;
    private static final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private static OutputStreamAppender<ILoggingEvent> appender;
    private static Level errorHandlingLevel;

    @BeforeAll
    static void start() throws Exception {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(LogOutput.encoder(LogFormat.TEXT, context));
        appender.setOutputStream(log);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        var errorHandling = context.getLogger("dev.herald.api.http.ErrorHandling");
        errorHandlingLevel = errorHandling.getLevel();
        errorHandling.setLevel(Level.DEBUG);
        Path config = dir.resolve("herald.properties");
        Files.writeString(config, String.join("\n",
                "listen.port=0",
                "store=sqlite:" + dir.resolve("data").toString().replace('\\', '/'),
                "admin.token=" + ADMIN_TOKEN, ""));
        herald = Herald.start(ConfigLoader.load(Optional.of(config), Map.of()), Clock.systemUTC());
        var account = send("POST /admin/v1/accounts HTTP/1.1", Map.of("Authorization", "Bearer " + ADMIN_TOKEN),
                "{\"name\":\"hostile\"}");
        var issued = send("POST /admin/v1/accounts/" + account.json().get("id").asLong() + "/keys HTTP/1.1",
                Map.of("Authorization", "Bearer " + ADMIN_TOKEN), "{}");
        key = issued.json().get("key").asText();
    }

    @AfterAll
    static void stop() {
        herald.close();
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        context.getLogger("dev.herald.api.http.ErrorHandling").setLevel(errorHandlingLevel);
        appender.stop();
    }

    @Test
    void malformedChunkSizesAnswer400InTheSurfaceShapeWithOneDebugLineAndNoStackTrace() {
        for (String path : List.of("/v1/events", "/api/v1/webhooks")) {
            for (String size : List.of("zz", "fffffffffffffffff1")) {
                var response = raw(("POST " + path + " HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer " + key
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + size
                        + "\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

                assertThat(response.status()).as(path + " " + size + ": " + response).isEqualTo(400);
                String requestId = response.header("X-Request-Id").orElseThrow();
                if (path.startsWith("/api/v1")) {
                    assertThat(response.json().path("success").asBoolean(true)).isFalse();
                    assertThat(response.json().path("request_id").asText()).isEqualTo(requestId);
                }
                assertThat(response.json().path("error").path("code").asText()).isEqualTo("invalid_request");
                var lines = logLines(requestId);
                assertThat(lines).as("log lines of " + requestId).filteredOn(l -> l.contains("ErrorHandling"))
                        .hasSize(1).allMatch(l -> l.contains("DEBUG"));
                assertThat(lines).noneMatch(l -> l.contains(" ERROR "));
            }
        }
        assertThat(logText()).as("no stack trace in the log").doesNotContain("\tat org.eclipse.jetty");
    }

    @Test
    void http10WithTransferEncodingIsRefusedAndTheConnectionClosed() {
        var response = raw(("POST /v1/events HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\nAuthorization: Bearer "
                + key + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII), true);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(response.closed()).as("connection closed after the answer").isTrue();
    }

    @Test
    void protocolErrorsCarryACodeAndARequestIdForEveryMethod() {
        var requests = new LinkedHashMap<String, String>();
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            requests.put(method + " bad URI", method + " /v1/webhooks/%zz HTTP/1.1\r\nHost: h\r\n\r\n");
            requests.put(method + " Content-Length -1", method + " /v1/webhooks HTTP/1.1\r\nHost: h\r\n"
                    + "Content-Length: -1\r\n\r\n");
        }
        requests.put("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");

        requests.forEach((name, request) -> {
            var response = raw(request.getBytes(StandardCharsets.US_ASCII));
            assertThat(response.status()).as(name + ": " + response).isBetween(400, 499);
            assertThat(response.header("X-Request-Id")).as(name + ": " + response).hasValueSatisfying(
                    id -> assertThat(id).startsWith("req_"));
            assertThat(response.json().path("error").path("code").asText()).as(name + ": " + response).isNotEmpty();
        });
    }

    @Test
    void inventedMethodsAndPathsLeaveEveryMetricLabelInAClosedSet() {
        scrape(); // the scrape's own series exist before the baseline
        var before = scrape();
        for (int i = 0; i < 150; i++) {
            raw(("M" + i + "X /nope/p" + i + " HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            raw(("GET /nope/q" + i + "?x=" + i + " HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            raw(("BREW /v1/webhooks/wh_" + i + " HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        var after = scrape();

        Set<String> routes = herald.routes().stream().map(RegisteredRoute::path).collect(Collectors.toSet());
        routes.add(HttpRequestMetrics.UNMATCHED);
        var methods = new HashSet<>(HttpRequestMetrics.KNOWN_METHODS);
        methods.add(HttpRequestMetrics.OTHER_METHOD);
        for (var series : after.series()) {
            if (series.name().startsWith("herald_http_")) {
                assertThat(series.labels().get("method")).as(series.toString()).isIn(methods);
                assertThat(series.labels().get("route")).as(series.toString()).isIn(routes);
                assertThat(series.labels().get("status")).as(series.toString()).matches("[1-5][0-9][0-9]");
            }
            assertThat(series.labels().values()).as(series.toString())
                    .noneMatch(v -> v.matches("(?i).*(nope|m\\d+x|brew|wh_\\d).*"));
        }
        assertThat(after.series().size() - before.series().size()).as("new series from 450 invented requests")
                .isLessThanOrEqualTo(3 * 2 * (HttpRequestMetrics.DURATION_BUCKETS.length + 4));
    }

    @Test
    void theAdminTokenIsAcceptedOnlyAsABearerToken() {
        var asApiKey = send("GET /admin/v1/accounts HTTP/1.1", Map.of("X-API-Key", ADMIN_TOKEN), null);
        var asBearer = send("GET /admin/v1/accounts HTTP/1.1", Map.of("Authorization", "Bearer " + ADMIN_TOKEN), null);

        assertThat(asApiKey.status()).as(asApiKey.toString()).isEqualTo(401);
        assertThat(asApiKey.json().path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(asBearer.status()).as(asBearer.toString()).isEqualTo(200);
    }

    @Test
    void theAdminTokenAndPlatformKeysInAPathAreMaskedInTheAccessLog() {
        String platformKey = "sk_platform_" + "9a".repeat(32);
        var token = send("GET /nope/" + ADMIN_TOKEN + " HTTP/1.1", Map.of(), null);
        var platform = send("GET /nope/" + platformKey + " HTTP/1.1", Map.of(), null);

        String tokenLines = String.join("\n", logLines(token.header("X-Request-Id").orElseThrow()));
        String platformLines = String.join("\n", logLines(platform.header("X-Request-Id").orElseThrow()));
        assertThat(tokenLines).contains("/nope/***").doesNotContain(ADMIN_TOKEN);
        assertThat(platformLines).contains("/nope/sk_platform_***").doesNotContain("9a9a9a");
        assertThat(logText()).doesNotContain(ADMIN_TOKEN).doesNotContain(platformKey);
    }

    private static PrometheusText scrape() {
        var response = send("GET /metrics HTTP/1.1", Map.of(), null);
        assertThat(response.status()).isEqualTo(200);
        return PrometheusText.parse(response.body());
    }

    private static String logText() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    private static List<String> logLines(String requestId) {
        return logText().lines().filter(l -> l.contains(requestId)).toList();
    }

    private static RawResponse send(String requestLine, Map<String, String> headers, String body) {
        var text = new StringBuilder(requestLine).append("\r\nHost: h\r\nConnection: close\r\n");
        headers.forEach((k, v) -> text.append(k).append(": ").append(v).append("\r\n"));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            text.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        text.append("\r\n");
        var out = new ByteArrayOutputStream();
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        return raw(out.toByteArray());
    }

    private static RawResponse raw(byte[] request) {
        return raw(request, false);
    }

    /**
     * Sends bytes as they are and reads one response; with {@code waitForClose}, {@code closed} tells whether the
     * server closed the connection within the read timeout (otherwise it is not looked at and false).
     */
    private static RawResponse raw(byte[] request, boolean waitForClose) {
        try (var socket = new Socket("127.0.0.1", herald.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            var lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            var headers = new LinkedHashMap<String, String>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new RawResponse(status, headers, body, waitForClose && closedByServer(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean closedByServer(InputStream in) {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response head ended: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private record RawResponse(int status, Map<String, String> headers, String body, boolean closed) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }
}

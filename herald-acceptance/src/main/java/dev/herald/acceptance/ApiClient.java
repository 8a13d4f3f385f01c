package dev.herald.acceptance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small HTTP client for tests against a running Herald: sends raw JSON text (so tests can replay a seed's
 * example byte for byte, or send broken JSON) with the account's key as {@code Authorization: Bearer}. Every
 * exchange is checked against the OpenAPI document ({@link OpenApiConformance}).
 */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final URI base;
    private final Optional<String> key;
    private final Map<String, String> headers;

    ApiClient(HttpClient http, URI base, Optional<String> key, Map<String, String> headers) {
        this.http = http;
        this.base = base;
        this.key = key;
        this.headers = Map.copyOf(headers);
    }

    /** The same client sending one more header on every request. */
    public ApiClient withHeader(String name, String value) {
        var more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiClient(http, base, key, more);
    }

    /** The same client without any API key. */
    public ApiClient anonymous() {
        return new ApiClient(http, base, Optional.empty(), headers);
    }

    public ApiResponse get(String path) {
        return send("GET", path, Optional.empty());
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, Optional.empty());
    }

    public ApiResponse post(String path, String json) {
        return send("POST", path, Optional.of(json));
    }

    public ApiResponse patch(String path, String json) {
        return send("PATCH", path, Optional.of(json));
    }

    public ApiResponse send(String method, String path, Optional<String> json) {
        return send(method, path, json.map(s -> s.getBytes(StandardCharsets.UTF_8)), Map.of());
    }

    /** Any request; {@code extraHeaders} override the client's own for this request. */
    public ApiResponse send(String method, String path, Optional<byte[]> body, Map<String, String> extraHeaders) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        key.ifPresent(k -> builder.header("Authorization", "Bearer " + k));
        var all = new LinkedHashMap<>(headers);
        all.putAll(extraHeaders);
        all.forEach(builder::setHeader);
        if (body.isPresent()) {
            if (!all.containsKey("Content-Type")) {
                builder.header("Content-Type", "application/json");
            }
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(body.get()));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            var request = builder.build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            var answer = new ApiResponse(response.statusCode(), response.headers(), response.body());
            OpenApiConformance.check(method, request.uri(), sentHeaders(request), body, answer);
            return answer;
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + method + " " + path, e);
        }
    }

    private static Map<String, String> sentHeaders(HttpRequest request) {
        var sent = new LinkedHashMap<String, String>();
        request.headers().map().forEach((name, values) -> sent.put(name, values.getFirst()));
        return sent;
    }
}

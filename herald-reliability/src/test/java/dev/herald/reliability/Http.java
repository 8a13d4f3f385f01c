package dev.herald.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A small HTTP client for Herald's API: one base URL, one credential, bodies as bytes or text. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final Optional<String> credential;

    Http(URI base, Optional<String> credential) {
        this.base = base;
        this.credential = credential;
    }

    Http as(String key) {
        return new Http(base, Optional.of(key));
    }

    Http anonymous() {
        return new Http(base, Optional.empty());
    }

    /** A response: status, headers, body, and the body as JSON when it is JSON. */
    record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    Response get(String path) {
        return send("GET", path, Optional.empty(), Map.of());
    }

    Response delete(String path) {
        return send("DELETE", path, Optional.empty(), Map.of());
    }

    Response post(String path, String json) {
        return send("POST", path, Optional.of(json.getBytes(StandardCharsets.UTF_8)), Map.of());
    }

    Response patch(String path, String json) {
        return send("PATCH", path, Optional.of(json.getBytes(StandardCharsets.UTF_8)), Map.of());
    }

    Response send(String method, String path, Optional<byte[]> body, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body.map(HttpRequest.BodyPublishers::ofByteArray)
                        .orElse(HttpRequest.BodyPublishers.noBody()));
        body.ifPresent(b -> request.header("Content-Type", "application/json"));
        credential.ifPresent(c -> request.header("Authorization", "Bearer " + c));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response;
            try {
                response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException stale) {
                // a pooled connection the server closed after its previous answer: one fresh try
                response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            }
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

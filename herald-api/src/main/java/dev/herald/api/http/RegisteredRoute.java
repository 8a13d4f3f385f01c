package dev.herald.api.http;

import java.util.Objects;

/** One route the server answers: an HTTP method and a path template such as {@code /v1/webhooks/{id}}. */
public record RegisteredRoute(String method, String path) {
    public RegisteredRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
    }
}

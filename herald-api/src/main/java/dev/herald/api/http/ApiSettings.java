package dev.herald.api.http;

import java.util.Objects;
import java.util.Optional;

/** Where the API listens and its request limits. */
public record ApiSettings(String host, int port, long maxBodyBytes, Optional<String> adminToken) {
    public static final long DEFAULT_MAX_BODY = 1L << 20;

    public ApiSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535 (0 picks a free port)");
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        }
        Objects.requireNonNull(adminToken, "adminToken");
    }
}

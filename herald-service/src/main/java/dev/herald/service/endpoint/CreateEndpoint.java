package dev.herald.service.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A create request as any dialect received it, before validation. {@code type} and {@code config} say where
 * deliveries go ({@code webhook} with no config unless given); a broker endpoint has no {@code url} (empty).
 */
public record CreateEndpoint(String url, List<String> events, Optional<String> description, Optional<String> secret,
                             OptionalLong apiKeyId, OptionalInt rateLimit, Map<String, String> headers,
                             String type, Map<String, Object> config, Optional<List<Duration>> retrySchedule,
                             Optional<String> ordering) {
    public CreateEndpoint {
        Objects.requireNonNull(url, "url");
        events = List.copyOf(events);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(rateLimit, "rateLimit");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(type, "type");
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        retrySchedule = retrySchedule.map(List::copyOf);
        Objects.requireNonNull(ordering, "ordering");
    }

    /** A request on the configured retry schedule (the shape before issue 24). */
    public CreateEndpoint(String url, List<String> events, Optional<String> description, Optional<String> secret,
                          OptionalLong apiKeyId, OptionalInt rateLimit, Map<String, String> headers,
                          String type, Map<String, Object> config) {
        this(url, events, description, secret, apiKeyId, rateLimit, headers, type, config, Optional.empty(),
                Optional.empty());
    }

    /** A webhook endpoint (the shape every dialect but the canonical one creates). */
    public CreateEndpoint(String url, List<String> events, Optional<String> description, Optional<String> secret,
                          OptionalLong apiKeyId, OptionalInt rateLimit, Map<String, String> headers) {
        this(url, events, description, secret, apiKeyId, rateLimit, headers, "webhook", Map.of());
    }

    public static CreateEndpoint of(String url, List<String> events) {
        return new CreateEndpoint(url, events, Optional.empty(), Optional.empty(), OptionalLong.empty(),
                OptionalInt.empty(), Map.of());
    }
}

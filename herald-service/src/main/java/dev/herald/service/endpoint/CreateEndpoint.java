package dev.herald.service.endpoint;

import dev.herald.core.endpoint.EndpointProfile;

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
 * {@code profile} holds what the platform keeps on it (uid, metadata, channels, version); {@code retrySchedule} its
 * own delays between attempts and {@code ordering} ({@code fifo} or {@code unordered}) as the caller sent them.
 */
public record CreateEndpoint(String url, List<String> events, Optional<String> description, Optional<String> secret,
                             OptionalLong apiKeyId, OptionalInt rateLimit, Map<String, String> headers,
                             String type, Map<String, Object> config, EndpointProfile profile,
                             Optional<List<Duration>> retrySchedule, Optional<String> ordering) {
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
        Objects.requireNonNull(profile, "profile");
        retrySchedule = retrySchedule.map(List::copyOf);
        Objects.requireNonNull(ordering, "ordering");
    }

    /** An endpoint without a profile, with or without its own retry schedule and ordering (the canonical surface). */
    public CreateEndpoint(String url, List<String> events, Optional<String> description, Optional<String> secret,
                          OptionalLong apiKeyId, OptionalInt rateLimit, Map<String, String> headers,
                          String type, Map<String, Object> config, Optional<List<Duration>> retrySchedule,
                          Optional<String> ordering) {
        this(url, events, description, secret, apiKeyId, rateLimit, headers, type, config, EndpointProfile.NONE,
                retrySchedule, ordering);
    }

    /** An endpoint without a profile, on the configured retry schedule, unordered. */
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

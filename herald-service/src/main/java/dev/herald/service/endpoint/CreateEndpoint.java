package dev.herald.service.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A create request as any dialect received it, before validation. */
public record CreateEndpoint(String url, List<String> events, Optional<String> description, Optional<String> secret,
                             OptionalLong apiKeyId, OptionalInt rateLimit, Map<String, String> headers) {
    public CreateEndpoint {
        Objects.requireNonNull(url, "url");
        events = List.copyOf(events);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(rateLimit, "rateLimit");
        headers = Map.copyOf(headers);
    }

    public static CreateEndpoint of(String url, List<String> events) {
        return new CreateEndpoint(url, events, Optional.empty(), Optional.empty(), OptionalLong.empty(),
                OptionalInt.empty(), Map.of());
    }
}

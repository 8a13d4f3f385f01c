package dev.herald.service.endpoint;

import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A partial update; absent fields stay as they are. {@code description} distinguishes "not given" (empty)
 * from "set to null" ({@code Optional.of(Optional.empty())}); likewise {@code clearRateLimit}. {@code config}
 * replaces a broker endpoint's whole config; {@code profile} the platform's uid, metadata, channels and version.
 */
public record EndpointPatch(Optional<String> url, Optional<List<String>> events,
                            Optional<Optional<String>> description, Optional<EndpointStatus> status,
                            OptionalInt rateLimit, boolean clearRateLimit, Optional<Map<String, String>> headers,
                            Optional<Map<String, Object>> config, Optional<EndpointProfile> profile,
                            Optional<Optional<List<Duration>>> retrySchedule, Optional<String> ordering) {
    public static final EndpointPatch NONE = new EndpointPatch(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), OptionalInt.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public EndpointPatch {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(retrySchedule, "retrySchedule");
        Objects.requireNonNull(ordering, "ordering");
    }

    public EndpointPatch withUrl(String value) {
        return new EndpointPatch(Optional.of(value), events, description, status, rateLimit, clearRateLimit, headers,
                config, profile, retrySchedule, ordering);
    }

    public EndpointPatch withEvents(List<String> value) {
        return new EndpointPatch(url, Optional.of(value), description, status, rateLimit, clearRateLimit, headers,
                config, profile, retrySchedule, ordering);
    }

    public EndpointPatch withDescription(Optional<String> value) {
        return new EndpointPatch(url, events, Optional.of(value), status, rateLimit, clearRateLimit, headers,
                config, profile, retrySchedule, ordering);
    }

    public EndpointPatch withStatus(EndpointStatus value) {
        return new EndpointPatch(url, events, description, Optional.of(value), rateLimit, clearRateLimit, headers,
                config, profile, retrySchedule, ordering);
    }

    public EndpointPatch withRateLimit(OptionalInt value) {
        return new EndpointPatch(url, events, description, status, value, value.isEmpty(), headers,
                config, profile, retrySchedule, ordering);
    }

    public EndpointPatch withHeaders(Map<String, String> value) {
        return new EndpointPatch(url, events, description, status, rateLimit, clearRateLimit, Optional.of(value),
                config, profile, retrySchedule, ordering);
    }

    public EndpointPatch withConfig(Map<String, Object> value) {
        return new EndpointPatch(url, events, description, status, rateLimit, clearRateLimit, headers,
                Optional.of(value), profile, retrySchedule, ordering);
    }

    /** Replaces the platform's uid, metadata, channels and version together. */
    public EndpointPatch withProfile(EndpointProfile value) {
        return new EndpointPatch(url, events, description, status, rateLimit, clearRateLimit, headers,
                config, Optional.of(value), retrySchedule, ordering);
    }

    /** The endpoint's own retry delays; an empty value goes back to the configured schedule. */
    public EndpointPatch withRetrySchedule(Optional<List<Duration>> value) {
        return new EndpointPatch(url, events, description, status, rateLimit, clearRateLimit, headers,
                config, profile, Optional.of(value), ordering);
    }

    /** {@code fifo} or {@code unordered}, as the caller sent it. */
    public EndpointPatch withOrdering(String value) {
        return new EndpointPatch(url, events, description, status, rateLimit, clearRateLimit, headers,
                config, profile, retrySchedule, Optional.of(value));
    }
}

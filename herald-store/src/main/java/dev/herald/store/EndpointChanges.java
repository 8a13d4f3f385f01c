package dev.herald.store;

import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.Ordering;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The fields of an endpoint a change writes; absent fields are left as they are in the row, so two writers
 * changing different fields never undo each other. {@code description} and {@code rateLimit} hold an empty
 * value to clear the column. A {@code status} is applied compare-and-set, with its effect on pending deliveries
 * (see {@link Endpoints#changeStatus}). A {@code destination} writes its config and credentials, never its type.
 * A {@code profile} replaces the platform's uid, metadata, channels and version together. {@code retrySchedule}
 * holds an empty value to go back to the configured schedule; {@code ordering} makes it FIFO or unordered.
 */
public record EndpointChanges(Optional<String> url, Optional<List<String>> eventTypes,
                              Optional<Optional<String>> description, Optional<OptionalInt> rateLimit,
                              Optional<Map<String, String>> headers, Optional<EndpointStatus> status,
                              Optional<Destination> destination, Optional<EndpointProfile> profile,
                              Optional<Optional<List<Duration>>> retrySchedule, Optional<Ordering> ordering) {
    public static final EndpointChanges NONE = new EndpointChanges(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public EndpointChanges {
        Objects.requireNonNull(url, "url");
        eventTypes = eventTypes.map(List::copyOf);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(rateLimit, "rateLimit");
        headers = headers.map(Map::copyOf);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(profile, "profile");
        retrySchedule = retrySchedule.map(o -> o.map(List::copyOf));
        Objects.requireNonNull(ordering, "ordering");
    }

    public EndpointChanges withUrl(String value) {
        return new EndpointChanges(Optional.of(value), eventTypes, description, rateLimit, headers, status,
                destination, profile, retrySchedule, ordering);
    }

    public EndpointChanges withEventTypes(List<String> value) {
        return new EndpointChanges(url, Optional.of(value), description, rateLimit, headers, status,
                destination, profile, retrySchedule, ordering);
    }

    public EndpointChanges withDescription(Optional<String> value) {
        return new EndpointChanges(url, eventTypes, Optional.of(value), rateLimit, headers, status,
                destination, profile, retrySchedule, ordering);
    }

    public EndpointChanges withRateLimit(OptionalInt value) {
        return new EndpointChanges(url, eventTypes, description, Optional.of(value), headers, status,
                destination, profile, retrySchedule, ordering);
    }

    public EndpointChanges withHeaders(Map<String, String> value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, Optional.of(value), status,
                destination, profile, retrySchedule, ordering);
    }

    public EndpointChanges withStatus(EndpointStatus value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, headers, Optional.of(value),
                destination, profile, retrySchedule, ordering);
    }

    /** A new destination config of the same type (a destination's type never changes). */
    public EndpointChanges withDestination(Destination value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, headers, status,
                Optional.of(value), profile, retrySchedule, ordering);
    }

    public EndpointChanges withProfile(EndpointProfile value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, headers, status,
                destination, Optional.of(value), retrySchedule, ordering);
    }

    /** The endpoint's own retry delays; an empty value goes back to the configured schedule. */
    public EndpointChanges withRetrySchedule(Optional<List<Duration>> value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, headers, status,
                destination, profile, Optional.of(value), ordering);
    }

    /** FIFO or unordered from now on (deliveries stored before keep their numbers, or have none). */
    public EndpointChanges withOrdering(Ordering value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, headers, status,
                destination, profile, retrySchedule, Optional.of(value));
    }
}

package dev.herald.store;

import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointStatus;

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
 * A {@code profile} replaces the platform's uid, metadata, channels and version together.
 */
public record EndpointChanges(Optional<String> url, Optional<List<String>> eventTypes,
                              Optional<Optional<String>> description, Optional<OptionalInt> rateLimit,
                              Optional<Map<String, String>> headers, Optional<EndpointStatus> status,
                              Optional<Destination> destination, Optional<EndpointProfile> profile) {
    public static final EndpointChanges NONE = new EndpointChanges(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** Changes that leave the profile as it is. */
    public EndpointChanges(Optional<String> url, Optional<List<String>> eventTypes,
                           Optional<Optional<String>> description, Optional<OptionalInt> rateLimit,
                           Optional<Map<String, String>> headers, Optional<EndpointStatus> status,
                           Optional<Destination> destination) {
        this(url, eventTypes, description, rateLimit, headers, status, destination, Optional.empty());
    }

    public EndpointChanges {
        Objects.requireNonNull(url, "url");
        eventTypes = eventTypes.map(List::copyOf);
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(rateLimit, "rateLimit");
        headers = headers.map(Map::copyOf);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(profile, "profile");
    }

    public EndpointChanges withProfile(EndpointProfile value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, headers, status, destination,
                Optional.of(value));
    }

    public EndpointChanges withUrl(String value) {
        return new EndpointChanges(Optional.of(value), eventTypes, description, rateLimit, headers, status,
                destination, profile);
    }

    public EndpointChanges withEventTypes(List<String> value) {
        return new EndpointChanges(url, Optional.of(value), description, rateLimit, headers, status,
                destination, profile);
    }

    public EndpointChanges withDescription(Optional<String> value) {
        return new EndpointChanges(url, eventTypes, Optional.of(value), rateLimit, headers, status,
                destination, profile);
    }

    public EndpointChanges withRateLimit(OptionalInt value) {
        return new EndpointChanges(url, eventTypes, description, Optional.of(value), headers, status,
                destination, profile);
    }

    public EndpointChanges withHeaders(Map<String, String> value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, Optional.of(value), status,
                destination, profile);
    }

    public EndpointChanges withStatus(EndpointStatus value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, headers, Optional.of(value),
                destination, profile);
    }

    /** A new destination config of the same type (a destination's type never changes). */
    public EndpointChanges withDestination(Destination value) {
        return new EndpointChanges(url, eventTypes, description, rateLimit, headers, status, Optional.of(value),
                profile);
    }
}

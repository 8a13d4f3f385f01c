package dev.herald.core.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry of the platform's own event-type catalog, shared by every account (a Svix event type). An archived type
 * stays known to endpoints and publishes but is listed only on request.
 *
 * @param schemas the JSON Schemas by version, as JSON text, when given
 */
public record PlatformEventType(String name, String description, Optional<String> schemas, boolean archived,
                                boolean deprecated, Instant createdAt, Instant updatedAt) {
    public PlatformEventType {
        if (!EventTypeName.isValid(name)) {
            throw new IllegalArgumentException("invalid event type name");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(schemas, "schemas");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** As an entry of an account's effective catalog. */
    public EventType asEventType() {
        return new EventType(name, description, Optional.empty());
    }
}

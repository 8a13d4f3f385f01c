package dev.herald.core.event;

import java.util.Objects;
import java.util.Optional;

/** An entry of an account's event-type catalog; {@code schema} is an optional JSON Schema text. */
public record EventType(String name, String description, Optional<String> schema) {
    public EventType {
        if (!EventTypeName.isValid(name)) {
            throw new IllegalArgumentException("invalid event type name");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(schema, "schema");
    }
}

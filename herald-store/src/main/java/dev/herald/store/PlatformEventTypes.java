package dev.herald.store;

import dev.herald.core.event.PlatformEventType;

import java.util.List;
import java.util.Optional;

/** The platform's own event-type catalog, shared by every account. */
public interface PlatformEventTypes {
    /** By name; archived ones only when {@code withArchived}. */
    List<PlatformEventType> list(boolean withArchived);

    Optional<PlatformEventType> find(String name);

    /** Stores a new type; false when one of that name exists. */
    boolean create(PlatformEventType type);

    /** Replaces description, schemas, archived and deprecated (and updated_at); false when it does not exist. */
    boolean update(PlatformEventType type);

    /** Removes the type for good; false when it did not exist. */
    boolean delete(String name);
}

package dev.herald.store;

import dev.herald.core.account.AccountId;
import dev.herald.core.event.EventType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An account's own event types. The effective catalog is the configured defaults plus these; merging is the
 * caller's business.
 */
public interface EventTypes {
    List<EventType> list(AccountId account);

    Optional<EventType> find(AccountId account, String name);

    /** Creates or replaces the description and schema of {@code type}. */
    EventType put(AccountId account, EventType type, Instant now);

    boolean delete(AccountId account, String name);
}

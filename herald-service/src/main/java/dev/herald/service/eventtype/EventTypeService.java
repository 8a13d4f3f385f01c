package dev.herald.service.eventtype;

import dev.herald.core.account.Caller;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EventType;
import dev.herald.core.event.EventTypeName;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.store.EventTypes;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * An account's event-type catalog: the configured and built-in types every account has, plus its own, which it
 * may add and remove. Built-in and configured types cannot be changed.
 */
public final class EventTypeService {
    public static final int MAX_DESCRIPTION = 1000;

    private final EventCatalog catalog;
    private final EventTypes types;
    private final Clock clock;

    public EventTypeService(EventCatalog catalog, EventTypes types, Clock clock) {
        this.catalog = catalog;
        this.types = types;
        this.clock = clock;
    }

    public List<EventType> list(Caller caller) {
        return catalog.list(caller.account());
    }

    /** Adds or replaces one of the account's own types. */
    public EventType put(Caller caller, String name, Optional<String> description, Optional<String> schemaJson) {
        if (!EventTypeName.isValid(name)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name",
                    "name must be dotted lowercase words such as order.created (at most 128 characters)");
        }
        String text = description.orElse("");
        if (text.length() > MAX_DESCRIPTION) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "description",
                    "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (catalog.isBuiltIn(name)) {
            throw builtIn(name);
        }
        return types.put(caller.account(), new EventType(name, text, schemaJson), clock.instant());
    }

    public void delete(Caller caller, String name) {
        if (catalog.isBuiltIn(name)) {
            throw builtIn(name);
        }
        if (!EventTypeName.isValid(name) || !types.delete(caller.account(), name)) {
            throw HeraldException.of(ErrorCode.EVENT_TYPE_NOT_FOUND, "Event type not found");
        }
    }

    private static HeraldException builtIn(String name) {
        return HeraldException.field(ErrorCode.CONFLICT, "name",
                "event type '" + name + "' is built in or configured for every account and cannot be changed");
    }
}

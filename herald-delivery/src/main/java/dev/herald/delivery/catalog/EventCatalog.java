package dev.herald.delivery.catalog;

import dev.herald.core.account.AccountId;
import dev.herald.core.event.EventType;
import dev.herald.store.EventTypes;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The event types an account may publish and subscribe to: the built-in operational types, the configured
 * defaults and the account's own types (which win over a default of the same name).
 */
public final class EventCatalog {
    /** Sent by "send a test event". */
    public static final String WEBHOOK_TEST = "webhook.test";
    /** Published when Herald disables an endpoint that kept failing. */
    public static final String ENDPOINT_DISABLED = "endpoint.disabled";

    private static final List<EventType> BUILT_IN = List.of(
            new EventType(WEBHOOK_TEST, "A test event sent on request to one endpoint.", Optional.empty()),
            new EventType(ENDPOINT_DISABLED, "An endpoint was disabled because its deliveries kept failing.",
                    Optional.empty()));

    private final List<EventType> defaults;
    private final EventTypes store;

    private EventCatalog(List<EventType> defaults, EventTypes store) {
        this.defaults = List.copyOf(defaults);
        this.store = store;
    }

    public static EventCatalog create(List<EventType> configuredDefaults, EventTypes store) {
        return new EventCatalog(configuredDefaults, store);
    }

    /** The account's effective catalog, sorted by name. */
    public List<EventType> list(AccountId account) {
        var byName = new TreeMap<String, EventType>();
        BUILT_IN.forEach(t -> byName.put(t.name(), t));
        defaults.forEach(t -> byName.put(t.name(), t));
        store.list(account).forEach(t -> byName.put(t.name(), t));
        return List.copyOf(byName.values());
    }

    public Optional<EventType> find(AccountId account, String name) {
        Optional<EventType> own = store.find(account, name);
        if (own.isPresent()) {
            return own;
        }
        return defaults.stream().filter(t -> t.name().equals(name)).findFirst()
                .or(() -> BUILT_IN.stream().filter(t -> t.name().equals(name)).findFirst());
    }

    public boolean contains(AccountId account, String name) {
        return BUILT_IN.stream().anyMatch(t -> t.name().equals(name))
                || defaults.stream().anyMatch(t -> t.name().equals(name))
                || store.find(account, name).isPresent();
    }
}

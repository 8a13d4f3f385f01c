package dev.herald.delivery.catalog;

import dev.herald.core.account.AccountId;
import dev.herald.core.event.EventType;
import dev.herald.core.event.PlatformEventType;
import dev.herald.store.EventTypes;
import dev.herald.store.PlatformEventTypes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An account's effective event-type catalog: the built-in operational types, the configured defaults, the
 * platform's own types (shared by every account, archived ones included so existing endpoints and publishes keep
 * working) and the account's own types (an account's own entry overrides a default's description).
 */
public final class EventCatalog {
    /** Sent by "send a test event". */
    public static final EventType WEBHOOK_TEST = new EventType("webhook.test",
            "A test event sent on request to check an endpoint", Optional.empty());
    /** Emitted when Herald disables an endpoint that keeps failing. */
    public static final EventType ENDPOINT_DISABLED = new EventType("endpoint.disabled",
            "Herald disabled an endpoint after repeated failures", Optional.empty());
    /** Emitted when an endpoint turns failing and its circuit opens: only a probe is sent, the rest is held. */
    public static final EventType ENDPOINT_CIRCUIT_OPENED = new EventType("endpoint.circuit_opened",
            "Herald opened an endpoint's circuit: it failed repeatedly, so one probe is sent and the rest is held",
            Optional.empty());
    /** Emitted when an endpoint's circuit closes again after a probe succeeded and the ramp finished. */
    public static final EventType ENDPOINT_CIRCUIT_CLOSED = new EventType("endpoint.circuit_closed",
            "Herald closed an endpoint's circuit: it recovered and every held delivery is released",
            Optional.empty());

    private final Map<String, EventType> builtIn;
    private final EventTypes store;
    private final PlatformEventTypes platform;

    private EventCatalog(Map<String, EventType> builtIn, EventTypes store, PlatformEventTypes platform) {
        this.builtIn = builtIn;
        this.store = store;
        this.platform = platform;
    }

    /** A catalog without platform types (tests of the engine alone). */
    public static EventCatalog create(List<EventType> configuredDefaults, EventTypes store) {
        return create(configuredDefaults, store, NO_PLATFORM_TYPES);
    }

    public static EventCatalog create(List<EventType> configuredDefaults, EventTypes store,
                                      PlatformEventTypes platform) {
        var builtIn = new LinkedHashMap<String, EventType>();
        builtIn.put(WEBHOOK_TEST.name(), WEBHOOK_TEST);
        builtIn.put(ENDPOINT_DISABLED.name(), ENDPOINT_DISABLED);
        builtIn.put(ENDPOINT_CIRCUIT_OPENED.name(), ENDPOINT_CIRCUIT_OPENED);
        builtIn.put(ENDPOINT_CIRCUIT_CLOSED.name(), ENDPOINT_CIRCUIT_CLOSED);
        for (var type : configuredDefaults) {
            builtIn.put(type.name(), type);
        }
        return new EventCatalog(Map.copyOf(builtIn), store, platform);
    }

    /** Defaults first (in configuration order), then the account's own types by name. */
    public List<EventType> list(AccountId account) {
        var merged = new LinkedHashMap<String, EventType>();
        builtIn.values().stream()
                .sorted(java.util.Comparator.comparing(EventType::name))
                .forEach(t -> merged.put(t.name(), t));
        for (var shared : platform.list(false)) {
            merged.put(shared.name(), shared.asEventType());
        }
        for (var own : store.list(account)) {
            merged.put(own.name(), own);
        }
        return List.copyOf(merged.values());
    }

    public Optional<EventType> find(AccountId account, String name) {
        return store.find(account, name).or(() -> Optional.ofNullable(builtIn.get(name)))
                .or(() -> platform.find(name).map(PlatformEventType::asEventType));
    }

    public boolean contains(AccountId account, String name) {
        return builtIn.containsKey(name) || store.find(account, name).isPresent() || platform.find(name).isPresent();
    }

    /** Whether {@code name} comes from configuration or is built in (such types cannot be deleted per account). */
    public boolean isBuiltIn(String name) {
        return builtIn.containsKey(name);
    }

    /** No platform types at all. */
    private static final PlatformEventTypes NO_PLATFORM_TYPES = new PlatformEventTypes() {
        @Override
        public List<PlatformEventType> list(boolean withArchived) {
            return List.of();
        }

        @Override
        public Optional<PlatformEventType> find(String name) {
            return Optional.empty();
        }

        @Override
        public boolean create(PlatformEventType type) {
            throw new UnsupportedOperationException("this catalog has no platform types");
        }

        @Override
        public boolean update(PlatformEventType type) {
            throw new UnsupportedOperationException("this catalog has no platform types");
        }

        @Override
        public boolean delete(String name) {
            throw new UnsupportedOperationException("this catalog has no platform types");
        }
    };
}

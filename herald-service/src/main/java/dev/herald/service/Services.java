package dev.herald.service;

import dev.herald.core.account.ApiKeyId;
import dev.herald.core.platform.PlatformKeyId;
import dev.herald.delivery.DeliveryEngine;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.service.account.AccountService;
import dev.herald.service.delivery.DeliveryHistoryService;
import dev.herald.service.delivery.DeliveryService;
import dev.herald.service.endpoint.EndpointService;
import dev.herald.service.endpoint.EndpointSettings;
import dev.herald.service.event.EventService;
import dev.herald.service.eventtype.EventTypeService;
import dev.herald.service.platform.PlatformKeyService;
import dev.herald.service.portal.PortalLinks;
import dev.herald.service.portal.PortalSettings;
import dev.herald.service.svix.OperationalWebhooks;
import dev.herald.service.svix.SvixService;
import dev.herald.store.Store;

import java.time.Clock;
import java.util.Objects;

/** Every service, built once by the composition root and handed to the surfaces that translate to them. */
public record Services(EndpointService endpoints, EventService events, DeliveryService deliveries,
                       EventTypeService eventTypes, AccountService accounts, PlatformKeyService platformKeys,
                       DeliveryHistoryService deliveryHistory, PortalLinks portalLinks, SvixService svix,
                       OperationalWebhooks operationalWebhooks) {
    public Services {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(deliveries, "deliveries");
        Objects.requireNonNull(eventTypes, "eventTypes");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(platformKeys, "platformKeys");
        Objects.requireNonNull(deliveryHistory, "deliveryHistory");
        Objects.requireNonNull(portalLinks, "portalLinks");
        Objects.requireNonNull(svix, "svix");
        Objects.requireNonNull(operationalWebhooks, "operationalWebhooks");
    }

    /**
     * Builds every service on the store and the running engine. {@code revocations} hears of each key revoked
     * here (the server's authenticator forgets it at once).
     */
    public static Services create(Store store, DeliveryEngine engine, EventCatalog catalog,
                                  EndpointSettings endpointSettings, PortalSettings portalSettings,
                                  Revocations revocations, Clock clock) {
        return create(store, engine, catalog, endpointSettings, portalSettings, revocations,
                new OperationalWebhooks(store, clock), clock);
    }

    /**
     * As above, with the platform's operational webhooks (the same the engine was given as its observer, so its
     * endpoint and attempt events reach them too).
     */
    public static Services create(Store store, DeliveryEngine engine, EventCatalog catalog,
                                  EndpointSettings endpointSettings, PortalSettings portalSettings,
                                  Revocations revocations, OperationalWebhooks operational, Clock clock) {
        var endpoints = new EndpointService(store, catalog, endpointSettings, engine::endpointChanged,
                operational.lifecycle(engine.publisher()), clock);
        var accounts = new AccountService(store, clock, revocations::apiKeyRevoked, engine::endpointChanged);
        return new Services(endpoints, new EventService(engine.publisher(), store, accounts),
                new DeliveryService(endpoints, store, engine, clock),
                new EventTypeService(catalog, store.eventTypes(), clock),
                accounts,
                new PlatformKeyService(store.platformKeys(), clock, revocations::platformKeyRevoked),
                new DeliveryHistoryService(endpoints, store, clock),
                new PortalLinks(store, portalSettings, clock),
                new SvixService(store, accounts, endpoints, engine, clock), operational);
    }

    /** Told of every key revoked through a service, so caches of valid keys forget it at once. */
    public interface Revocations {
        void apiKeyRevoked(ApiKeyId id);

        void platformKeyRevoked(PlatformKeyId id);
    }
}

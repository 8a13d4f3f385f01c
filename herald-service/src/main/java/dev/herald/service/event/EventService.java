package dev.herald.service.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.Caller;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.service.account.AccountService;
import dev.herald.service.endpoint.EndpointService;
import dev.herald.store.EventFilter;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Publishing an account's events (by its own key or by the platform) and reading one back with its deliveries. */
public final class EventService {
    private final EventPublisher publisher;
    private final Store store;
    private final AccountService accounts;

    public EventService(EventPublisher publisher, Store store, AccountService accounts) {
        this.accounts = accounts;
        this.publisher = publisher;
        this.store = store;
    }

    /** An event with its deliveries and the public ids of their endpoints (deleted endpoints have none). */
    public record EventLog(Event event, List<Delivery> deliveries, Map<EndpointId, WebhookId> webhooks) {
        public Optional<WebhookId> webhookOf(Delivery delivery) {
            return Optional.ofNullable(webhooks.get(delivery.endpointId()));
        }
    }

    /** Stores the event and its deliveries durably; the caller's key scopes which endpoints it reaches. */
    public PublishReceipt publish(Caller caller, String type, ObjectNode data, Optional<EventId> id,
                                  Optional<String> idempotencyKey, Optional<String> traceparent) {
        return publisher.publish(new PublishRequest(caller.account(), Optional.of(caller.key()), type, data, id,
                idempotencyKey, traceparent));
    }

    /**
     * Publishes for the account named by {@code accountRef} (its integer id or the platform's uid for it) on the
     * platform's behalf. With {@code asKey} (one of that account's active keys) the event reaches exactly the
     * endpoints it would had that key published it; without, only endpoints that are not scoped to a key.
     */
    public PublishReceipt publishFor(String accountRef, Optional<ApiKeyId> asKey, String type, ObjectNode data,
                                     Optional<EventId> id, Optional<String> idempotencyKey,
                                     Optional<String> traceparent) {
        AccountId account = accounts.account(accountRef).id();
        if (asKey.isPresent()) {
            store.apiKeys().find(asKey.get())
                    .filter(key -> key.accountId().equals(account) && key.revokedAt().isEmpty())
                    .orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_API_KEY_ID, "api_key_id",
                            "api_key_id " + asKey.get() + " is not an active key of account " + account));
        }
        return publisher.publish(new PublishRequest(account, asKey, type, data, id, idempotencyKey, traceparent));
    }

    /** One page of the account's events matching {@code filter}, newest first. */
    public Page<Event> list(Caller caller, EventFilter filter, PageRequest page) {
        try {
            return store.events().list(caller.account(), filter, page);
        } catch (InvalidCursorException e) {
            throw EndpointService.invalidCursor();
        }
    }

    public EventLog get(Caller caller, String eventId) {
        Event event = Optional.of(eventId).filter(EventId::isValid)
                .flatMap(t -> store.events().find(caller.account(), new EventId(t)))
                .orElseThrow(EventService::notFound);
        List<Delivery> deliveries = store.events().deliveriesOf(caller.account(), event.id());
        var webhooks = new HashMap<EndpointId, WebhookId>();
        for (Delivery delivery : deliveries) {
            if (!webhooks.containsKey(delivery.endpointId())) {
                store.endpoints().find(caller.account(), delivery.endpointId())
                        .ifPresent(e -> webhooks.put(e.id(), e.publicId()));
            }
        }
        return new EventLog(event, deliveries, webhooks);
    }

    public static HeraldException notFound() {
        return HeraldException.of(ErrorCode.EVENT_NOT_FOUND, "Event ID not found");
    }
}

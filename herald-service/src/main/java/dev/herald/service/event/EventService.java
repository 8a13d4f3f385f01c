package dev.herald.service.event;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.Caller;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishOutcome;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.service.account.AccountService;
import dev.herald.service.endpoint.EndpointService;
import dev.herald.store.EventFilter;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Publishing an account's events (by its own key or by the platform) and reading one back with its deliveries. */
public final class EventService {
    /** The most events one batch publish takes. */
    public static final int MAX_BATCH_EVENTS = 500;
    /** The largest batch body, in bytes (1 MiB). */
    public static final long MAX_BATCH_BYTES = 1L << 20;

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

    /**
     * Stores the event and its deliveries durably; the caller's key scopes which endpoints it reaches. {@code data}
     * is the event's data as compact JSON text of an object, delivered as given.
     */
    public PublishReceipt publish(Caller caller, String type, EncodedPayload data, Optional<EventId> id,
                                  Optional<String> idempotencyKey, Optional<String> traceparent) {
        return publisher.publish(new PublishRequest(caller.account(), Optional.of(caller.key()), type, data, id,
                idempotencyKey, traceparent));
    }

    /**
     * Publishes for the account named by {@code accountRef} (its integer id or the platform's uid for it) on the
     * platform's behalf. With {@code asKey} (one of that account's active keys) the event reaches exactly the
     * endpoints it would had that key published it; without, only endpoints that are not scoped to a key.
     */
    public PublishReceipt publishFor(String accountRef, Optional<ApiKeyId> asKey, String type, EncodedPayload data,
                                     Optional<EventId> id, Optional<String> idempotencyKey,
                                     Optional<String> traceparent) {
        AccountId account = accounts.account(accountRef).id();
        asKey.ifPresent(key -> requireActiveKey(account, key));
        return publisher.publish(new PublishRequest(account, asKey, type, data, id, idempotencyKey, traceparent));
    }

    private void requireActiveKey(AccountId account, ApiKeyId asKey) {
        store.apiKeys().find(asKey)
                .filter(key -> key.accountId().equals(account) && key.revokedAt().isEmpty())
                .orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_API_KEY_ID, "api_key_id",
                        "api_key_id " + asKey + " is not an active key of account " + account));
    }

    /** Refuses a batch body over {@link #MAX_BATCH_BYTES}, before it is parsed. */
    public static void checkBatchBytes(long bodyBytes) {
        if (bodyBytes > MAX_BATCH_BYTES) {
            throw HeraldException.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    "a batch body is at most 1 MiB (" + MAX_BATCH_BYTES + " bytes); send fewer events per request");
        }
    }

    /** Refuses a batch of more than {@link #MAX_BATCH_EVENTS} events, or of none. */
    public static void checkBatchEvents(int events) {
        if (events > MAX_BATCH_EVENTS) {
            throw HeraldException.field(ErrorCode.PAYLOAD_TOO_LARGE, "events",
                    "a batch holds at most " + MAX_BATCH_EVENTS + " events, not " + events);
        }
        if (events < 1) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "events", "events must hold at least one event");
        }
    }

    /**
     * Publishes the events of one batch in one transaction; an event refused on its own (unknown type, unknown
     * account or key) is answered with its error and the others are stored. Outcomes are in the order given.
     * {@code idempotencyKey} covers the whole request: each event is stored with the key {@code <key>#<position>},
     * so a repeat of the request finds every event it stored the first time (across nodes too), and an event's own
     * {@code id} makes it a repeat on its own. Events with an {@code accountRef} are published for that account on
     * the platform's behalf ({@code caller} empty); without, for the caller's account with its key.
     */
    public List<PublishOutcome> publishBatch(Optional<Caller> caller, List<BatchEvent> events,
                                             Optional<String> idempotencyKey, Optional<String> traceparent) {
        var outcomes = new PublishOutcome[events.size()];
        var requests = new ArrayList<PublishRequest>(events.size());
        var accountsByRef = new HashMap<String, AccountId>();
        var checkedKeys = new HashMap<ApiKeyId, AccountId>();
        for (int i = 0; i < events.size(); i++) {
            BatchEvent event = events.get(i);
            Optional<String> key = idempotencyKey.map(k -> k + "#" + event.position());
            try {
                if (event.accountRef().isPresent()) {
                    AccountId account = accountsByRef.get(event.accountRef().get());
                    if (account == null) {
                        account = accounts.account(event.accountRef().get()).id();
                        accountsByRef.put(event.accountRef().get(), account);
                    }
                    if (event.asKey().isPresent() && !account.equals(checkedKeys.get(event.asKey().get()))) {
                        requireActiveKey(account, event.asKey().get());
                        checkedKeys.put(event.asKey().get(), account);
                    }
                    requests.add(new PublishRequest(account, event.asKey(), event.type(), event.data(), event.id(),
                            key, traceparent));
                } else {
                    Caller own = caller.orElseThrow(() -> HeraldException.field(ErrorCode.ACCOUNT_REQUIRED,
                            "account", "a platform key publishes for an account: give \"account\" (its id or uid)"));
                    requests.add(new PublishRequest(own.account(), Optional.of(own.key()), event.type(), event.data(),
                            event.id(), key, traceparent));
                }
            } catch (HeraldException refused) {
                outcomes[i] = new PublishOutcome.Refused(refused);
            }
        }
        List<PublishOutcome> published = publisher.publishAll(requests);
        int next = 0;
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = published.get(next++);
            }
        }
        return List.of(outcomes);
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

package dev.herald.service.svix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.account.Account;
import dev.herald.core.account.AccountStatus;
import dev.herald.core.account.ApiKey;
import dev.herald.core.account.Caller;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.error.EchoedText;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;
import dev.herald.core.event.EventTypeName;
import dev.herald.core.event.PlatformEventType;
import dev.herald.delivery.DeliveryEngine;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.delivery.publish.WirePayload;
import dev.herald.service.account.AccountService;
import dev.herald.service.endpoint.EndpointRef;
import dev.herald.service.endpoint.EndpointService;
import dev.herald.store.EventAttempt;
import dev.herald.store.EventFilter;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.ListOrder;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of the Svix-compatible surface that the shared services do not already hold: applications (accounts
 * named by their {@code app_} id or the platform's uid, created on demand), the caller the platform acts as inside
 * an application, messages (events in the Svix format, with an {@code eventId} unique per application), attempts
 * and delivery counts, resending, and the platform's own event-type catalog. Endpoint rules stay in
 * {@link EndpointService}, publishing in the engine's publisher.
 */
public final class SvixService {
    /** The name of the key the platform acts with inside an application; its plaintext is never kept or shown. */
    public static final String PLATFORM_KEY_NAME = "platform (Svix API)";
    public static final int MAX_EVENT_ID = 256;
    public static final int MAX_CHANNELS = 10;
    public static final int MAX_DESCRIPTION = 1000;

    private final Store store;
    private final AccountService accounts;
    private final EndpointService endpoints;
    private final DeliveryEngine engine;
    private final Clock clock;

    public SvixService(Store store, AccountService accounts, EndpointService endpoints, DeliveryEngine engine,
                       Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.endpoints = endpoints;
        this.engine = engine;
        this.clock = clock;
    }

    /** An application as created or found: {@code created} is false when {@code get_if_exists} found it. */
    public record CreatedApplication(Account account, boolean created) {
    }

    // ---- applications

    /**
     * Creates an application; with {@code getIfExists} and a {@code uid} that already names one, answers that one
     * instead. A uid taken without {@code getIfExists} is a conflict.
     */
    public CreatedApplication createApplication(String name, Optional<String> uid, Map<String, String> metadata,
                                                boolean getIfExists) {
        if (getIfExists && uid.isPresent()) {
            Optional<Account> existing = store.accounts().findByUid(uid.get());
            if (existing.isPresent()) {
                return new CreatedApplication(existing.get(), false);
            }
        }
        return new CreatedApplication(accounts.createAccount(name, uid, metadata), true);
    }

    /** The live application named by its {@code app_} id or the platform's uid for it. */
    public Account application(String idOrUid) {
        Optional<Account> found = SvixIds.applicationUuid(idOrUid).flatMap(store.accounts()::findByUuid);
        if (found.isEmpty() && Account.UID.matcher(idOrUid).matches()) {
            found = store.accounts().findByUid(idOrUid);
        }
        return found.filter(a -> !OperationalWebhooks.isOperational(a)).orElseThrow(() -> HeraldException.of(ErrorCode.NOT_FOUND,
                "application " + EchoedText.of(idOrUid) + " not found"));
    }

    /** Every live application, oldest first (active and disabled). */
    public List<Account> applications() {
        return accounts.accounts().stream().filter(a -> !OperationalWebhooks.isOperational(a)).toList();
    }

    /** Replaces the name, uid and metadata; a uid of another application is a conflict. */
    public Account updateApplication(Account app, String name, Optional<String> uid, Map<String, String> metadata) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name", "name must be 1-200 characters");
        }
        if (uid.isPresent() && !Account.UID.matcher(uid.get()).matches()) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "uid",
                    "uid must be 1-256 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
        if (metadata.size() > AccountService.MAX_METADATA) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "metadata",
                    "metadata holds at most " + AccountService.MAX_METADATA + " entries");
        }
        return store.accounts().update(app.id(), name.strip(), uid, metadata)
                .orElseThrow(() -> HeraldException.field(ErrorCode.CONFLICT, "uid",
                        "uid " + uid.orElseThrow() + " already names another application"));
    }

    public void deleteApplication(Account app) {
        accounts.delete(app.id());
    }

    /**
     * The caller the platform acts as inside {@code app}: one of the application's keys kept for the platform (it
     * records who created an endpoint, as every endpoint does). Issued on first use; its token is discarded, so
     * nobody can present it. A disabled application is refused.
     */
    public Caller callerFor(Account app) {
        if (app.status() != AccountStatus.ACTIVE) {
            throw HeraldException.of(ErrorCode.FORBIDDEN, "application " + SvixIds.application(app) + " is disabled");
        }
        Optional<ApiKey> key = store.apiKeys().list(app.id()).stream()
                .filter(k -> k.name().equals(PLATFORM_KEY_NAME) && k.revokedAt().isEmpty())
                .findFirst();
        ApiKey platformKey = key.orElseGet(() -> accounts.issueKey(app.id(), PLATFORM_KEY_NAME).key());
        return new Caller(app.id(), platformKey.id());
    }

    // ---- endpoints

    /** The application's endpoint named by its {@code ep_} id (or Herald's {@code wh_} id) or the platform's uid. */
    public Endpoint endpoint(Caller caller, String idOrUid) {
        return endpoints.get(caller, endpointRef(idOrUid));
    }

    public static EndpointRef endpointRef(String idOrUid) {
        Optional<WebhookId> id = SvixIds.webhookId(idOrUid);
        if (id.isPresent()) {
            return new EndpointRef.Public(id.get());
        }
        if (Account.UID.matcher(idOrUid).matches()) {
            return new EndpointRef.Uid(idOrUid);
        }
        throw EndpointService.notFound();
    }

    /** How many of the endpoint's deliveries are in each state. */
    public Map<DeliveryState, Long> deliveryCounts(Endpoint endpoint) {
        return store.deliveries().countByState(endpoint.id());
    }

    // ---- messages

    /**
     * Publishes a message: its payload goes out as given (the raw text when the SDK sent one), signed with the {@code svix-*} headers. A repeated
     * {@code eventId} in the same application is a conflict (the store keeps eventIds unique, so of two publishes
     * racing with the same new eventId one is stored and the other conflicts). A publish repeated with the same {@code Idempotency-Key} answers
     * the original message.
     */
    public PublishReceipt sendMessage(Account app, String eventType, ObjectNode payload, Optional<String> rawPayload,
                                      Optional<String> eventId, List<String> channels,
                                      Optional<String> idempotencyKey) {
        if (!EventTypeName.isValid(eventType)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "eventType",
                    "eventType must be dotted lowercase words such as user.signup (at most 128 characters)");
        }
        if (eventId.isPresent() && (eventId.get().length() > MAX_EVENT_ID
                || !Account.UID.matcher(eventId.get()).matches())) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "eventId",
                    "eventId must be 1-256 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
        if (channels.size() > MAX_CHANNELS || channels.stream().anyMatch(c -> c.length() > 128
                || !Account.UID.matcher(c).matches())) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "channels", "channels holds at most "
                    + MAX_CHANNELS + " names of 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
        if (app.status() != AccountStatus.ACTIVE) {
            throw HeraldException.of(ErrorCode.FORBIDDEN, "application " + SvixIds.application(app) + " is disabled");
        }
        if (idempotencyKey.isPresent()) {
            Optional<Event> repeated = store.events().findByIdempotencyKey(app.id(), idempotencyKey.get());
            if (repeated.isPresent()) {
                return new PublishReceipt(repeated.get(), store.events().deliveriesOf(app.id(),
                        repeated.get().id()).size(), false);
            }
        }
        if (eventId.isPresent() && store.events().findByUid(app.id(), eventId.get()).isPresent()) {
            throw eventIdTaken(eventId.get());
        }
        PublishReceipt receipt = engine.publisher().publish(new PublishRequest(app.id(), Optional.empty(), eventType,
                WirePayload.compact(payload), Optional.empty(), idempotencyKey, Optional.empty(), EventFormat.SVIX,
                eventId, channels, rawPayload));
        // A publish racing this one with the same new eventId won (the store keeps eventIds unique): unless it was
        // this request's own repeat (the same Idempotency-Key), this one is the conflict it would have been later.
        boolean ownRepeat = idempotencyKey.isPresent() && receipt.event().idempotencyKey().equals(idempotencyKey);
        if (!receipt.created() && eventId.isPresent() && !ownRepeat) {
            throw eventIdTaken(eventId.get());
        }
        return receipt;
    }

    private static HeraldException eventIdTaken(String eventId) {
        return HeraldException.field(ErrorCode.CONFLICT, "eventId",
                "a message with eventId " + eventId + " already exists in this application");
    }

    /** The application's message named by its {@code msg_} id (or Herald's {@code evt_} id) or its eventId. */
    public Event message(Account app, String idOrEventId) {
        Optional<EventId> id = EventId.fromSvixMessageId(idOrEventId)
                .or(() -> Optional.of(idOrEventId).filter(EventId::isValid).map(EventId::new));
        Optional<Event> found = id.flatMap(i -> store.events().find(app.id(), i));
        if (found.isEmpty() && Account.UID.matcher(idOrEventId).matches()) {
            found = store.events().findByUid(app.id(), idOrEventId);
        }
        return found.orElseThrow(() -> HeraldException.of(ErrorCode.EVENT_NOT_FOUND,
                "message " + EchoedText.of(idOrEventId) + " not found"));
    }

    public Page<Event> messages(Account app, EventFilter filter, PageRequest page, ListOrder order) {
        try {
            return store.events().list(app.id(), filter, page, order);
        } catch (InvalidCursorException e) {
            throw invalidIterator();
        }
    }

    // ---- attempts

    public List<EventAttempt> attemptsOfMessage(Account app, Event message) {
        return store.deliveries().attemptsOfEvent(app.id(), message.id());
    }

    public Page<EventAttempt> attemptsOfEndpoint(Endpoint endpoint, PageRequest page, ListOrder order) {
        try {
            return store.deliveries().attemptsOfEndpoint(endpoint.id(), page, order);
        } catch (InvalidCursorException e) {
            throw invalidIterator();
        }
    }

    /** The message's delivery to the endpoint, due again now; a message never sent to that endpoint is not found. */
    public Delivery resend(Account app, Event message, Endpoint endpoint) {
        if (endpoint.status() == EndpointStatus.DISABLED) {
            throw HeraldException.of(ErrorCode.WEBHOOK_DISABLED, "the endpoint is disabled; enable it first");
        }
        Delivery delivery = store.events().deliveriesOf(app.id(), message.id()).stream()
                .filter(d -> d.endpointId().equals(endpoint.id()))
                .reduce((first, later) -> later)
                .orElseThrow(() -> HeraldException.of(ErrorCode.DELIVERY_NOT_FOUND,
                        "message " + message.id().svixMessageId() + " was not sent to this endpoint"));
        engine.retryNow(delivery);
        return delivery;
    }

    // ---- the platform's event types

    public List<PlatformEventType> eventTypes(boolean withArchived) {
        return store.platformEventTypes().list(withArchived);
    }

    public PlatformEventType eventType(String name) {
        return Optional.of(name).filter(EventTypeName::isValid).flatMap(store.platformEventTypes()::find)
                .orElseThrow(() -> HeraldException.of(ErrorCode.EVENT_TYPE_NOT_FOUND,
                        "event type " + EchoedText.of(name) + " not found"));
    }

    /**
     * Adds a type to the platform's catalog; creating one that exists archived brings it back with the new
     * description and schemas, creating a live one again is a conflict.
     */
    public PlatformEventType createEventType(String name, String description, Optional<String> schemas,
                                             boolean archived, boolean deprecated) {
        if (!EventTypeName.isValid(name)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name",
                    "name must be dotted lowercase words such as user.signup (at most 128 characters)");
        }
        checkDescription(description);
        Instant now = clock.instant();
        var type = new PlatformEventType(name, description, schemas, archived, deprecated, now, now);
        if (store.platformEventTypes().create(type)) {
            return type;
        }
        PlatformEventType existing = eventType(name);
        if (!existing.archived()) {
            throw HeraldException.field(ErrorCode.CONFLICT, "name", "event type " + name + " already exists");
        }
        var revived = new PlatformEventType(name, description, schemas, archived, deprecated, existing.createdAt(),
                now);
        store.platformEventTypes().update(revived);
        return revived;
    }

    /** Replaces the fields given; the others stay. */
    public PlatformEventType updateEventType(String name, Optional<String> description,
                                             Optional<Optional<String>> schemas, Optional<Boolean> archived,
                                             Optional<Boolean> deprecated) {
        PlatformEventType current = eventType(name);
        description.ifPresent(SvixService::checkDescription);
        var updated = new PlatformEventType(name, description.orElse(current.description()),
                schemas.orElse(current.schemas()), archived.orElse(current.archived()),
                deprecated.orElse(current.deprecated()), current.createdAt(), clock.instant());
        if (!store.platformEventTypes().update(updated)) {
            throw HeraldException.of(ErrorCode.EVENT_TYPE_NOT_FOUND, "event type " + name + " not found");
        }
        return updated;
    }

    /** Archives the type (endpoints filtering on it keep working); with {@code expunge} removes it for good. */
    public void deleteEventType(String name, boolean expunge) {
        PlatformEventType current = eventType(name);
        if (expunge) {
            store.platformEventTypes().delete(name);
        } else {
            store.platformEventTypes().update(new PlatformEventType(name, current.description(), current.schemas(),
                    true, current.deprecated(), current.createdAt(), clock.instant()));
        }
    }

    private static void checkDescription(String description) {
        if (description.length() > MAX_DESCRIPTION) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "description",
                    "description must be at most " + MAX_DESCRIPTION + " characters");
        }
    }

    public static HeraldException invalidIterator() {
        return HeraldException.field(ErrorCode.INVALID_REQUEST, "iterator", "iterator is not valid");
    }
}

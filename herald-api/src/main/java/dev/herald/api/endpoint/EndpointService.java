package dev.herald.api.endpoint;

import dev.herald.api.http.Caller;
import dev.herald.api.http.EchoedText;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.destination.Destination;
import dev.herald.core.destination.DestinationRules;
import dev.herald.core.destination.DestinationType;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EventTypeName;
import dev.herald.core.outbound.UrlPolicy;
import dev.herald.core.signing.SigningSecret;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The rules of endpoint management, shared by every dialect: validation (URL policy, destination type and
 * config, event catalog, secrets, key scope, custom headers), account isolation (another account's endpoint is "not found"), and the side
 * effects of status changes on pending deliveries (pause holds them, resume releases them, disable cancels them).
 */
public final class EndpointService {
    public static final int MAX_DESCRIPTION = 1000;
    public static final int MAX_EVENT_TYPES = 100;
    public static final int MAX_RATE_LIMIT = 10_000;

    private final Store store;
    private final EventCatalog catalog;
    private final UrlPolicy urlPolicy;
    private final DestinationRules destinations;
    private final String signatureHeader;
    private final Duration rotationOverlap;
    private final EndpointChangeListener listener;
    private final Clock clock;

    public EndpointService(Store store, EventCatalog catalog, UrlPolicy urlPolicy, String signatureHeader,
                           Duration rotationOverlap, EndpointChangeListener listener, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.urlPolicy = urlPolicy;
        this.destinations = new DestinationRules(urlPolicy);
        this.signatureHeader = signatureHeader;
        this.rotationOverlap = rotationOverlap;
        this.listener = listener;
        this.clock = clock;
    }

    public CreatedEndpoint create(Caller caller, CreateEndpoint request) {
        Destination destination = destinations.check(request.type(), request.config());
        String url = destinationUrl(destination, request.url());
        List<String> events = checkEvents(caller, request.events());
        Optional<String> description = checkDescription(request.description());
        SigningSecret secret = request.secret().map(EndpointService::checkSecret).orElseGet(SigningSecret::generate);
        Optional<ApiKeyId> scope = Optional.empty();
        if (request.apiKeyId().isPresent()) {
            long requested = request.apiKeyId().getAsLong();
            if (requested != caller.key().value()) {
                throw HeraldException.field(ErrorCode.FORBIDDEN, "api_key_id",
                        "api_key_id must match the API key making the request");
            }
            scope = Optional.of(caller.key());
        }
        OptionalInt rateLimit = checkRateLimit(request.rateLimit());
        Map<String, String> headers = CustomHeaders.check(request.headers(), signatureHeader);
        var draft = new NewEndpoint(caller.account(), url, events, description, caller.key(), scope,
                rateLimit, headers, secret, destination);
        Endpoint created = store.endpoints().create(draft, clock.instant());
        listener.endpointChanged(created.id());
        return new CreatedEndpoint(created, secret);
    }

    public Endpoint get(Caller caller, EndpointRef ref) {
        var endpoints = store.endpoints();
        Optional<Endpoint> found = switch (ref) {
            case EndpointRef.Public p -> endpoints.findByPublicId(caller.account(), p.id());
            case EndpointRef.Numeric n -> endpoints.find(caller.account(), n.id());
            case EndpointRef.Uuid u -> endpoints.findByUuid(caller.account(), u.id());
        };
        return found.orElseThrow(EndpointService::notFound);
    }

    /** Resolves a path id in any of the three forms; a malformed id is "not found", like a missing one. */
    public Endpoint get(Caller caller, Optional<EndpointRef> ref) {
        return get(caller, ref.orElseThrow(EndpointService::notFound));
    }

    public Page<Endpoint> list(Caller caller, PageRequest page) {
        try {
            return store.endpoints().list(caller.account(), page);
        } catch (IllegalArgumentException e) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "cursor", "cursor is not valid");
        }
    }

    /**
     * Every endpoint of the caller's account, oldest first, for surfaces whose list is one array rather than a
     * page; read from the store page by page so no query is unbounded.
     */
    public void forEach(Caller caller, Consumer<Endpoint> action) {
        Optional<String> cursor = Optional.empty();
        do {
            Page<Endpoint> page = list(caller, new PageRequest(cursor, PageRequest.MAX_LIMIT));
            page.items().forEach(action);
            cursor = page.nextCursor();
        } while (cursor.isPresent());
    }

    public Endpoint update(Caller caller, EndpointRef ref, EndpointPatch patch) {
        Endpoint current = get(caller, ref);
        Destination destination = patch.config().map(c -> destinations.checkChange(current.destination(), c))
                .orElse(current.destination());
        String url = destination.type() == DestinationType.WEBHOOK
                ? patch.url().map(u -> destinationUrl(destination, u)).orElse(current.url())
                : destinationUrl(destination, patch.url().orElse(""));
        List<String> events = patch.events().map(e -> checkEvents(caller, e)).orElse(current.eventTypes());
        Optional<String> description = patch.description().map(this::checkDescription).orElse(current.description());
        EndpointStatus status = patch.status().orElse(current.status());
        if (patch.status().isPresent() && status == EndpointStatus.FAILING) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "status",
                    "status must be active, paused or disabled; failing is set by Herald");
        }
        OptionalInt rateLimit = patch.clearRateLimit() ? OptionalInt.empty()
                : patch.rateLimit().isPresent() ? checkRateLimit(patch.rateLimit()) : current.rateLimit();
        Map<String, String> headers = patch.headers().map(h -> CustomHeaders.check(h, signatureHeader))
                .orElse(current.headers());
        Instant now = clock.instant();
        var changed = new Endpoint(current.id(), current.uuid(), current.publicId(), current.accountId(),
                url, events, description, status, current.createdBy(), current.scopeKey(),
                rateLimit, headers, current.createdAt(), now, current.stats(), destination);
        Endpoint updated = store.endpoints().update(changed, now).orElseThrow(EndpointService::notFound);
        applyStatusChange(current.status(), updated, now);
        listener.endpointChanged(updated.id());
        return updated;
    }

    public void delete(Caller caller, EndpointRef ref) {
        Endpoint current = get(caller, ref);
        if (!store.endpoints().delete(caller.account(), current.id(), clock.instant())) {
            throw notFound();
        }
        listener.endpointChanged(current.id());
    }

    /** Adds a new secret (generated unless given); the old ones stay valid for the configured overlap. */
    public SigningSecret rotateSecret(Caller caller, EndpointRef ref, Optional<String> requested) {
        Endpoint current = get(caller, ref);
        SigningSecret secret = requested.map(EndpointService::checkSecret).orElseGet(SigningSecret::generate);
        store.endpoints().rotateSecret(current.id(), secret, rotationOverlap, clock.instant());
        listener.endpointChanged(current.id());
        return secret;
    }

    /**
     * The endpoint's URL: a webhook's own, checked by the URL policy; a broker's address without credentials,
     * where a {@code url} of its own is refused (the address is in {@code config}).
     */
    private String destinationUrl(Destination destination, String requestedUrl) {
        if (destination.address().isEmpty()) {
            urlPolicy.check(requestedUrl);
            return requestedUrl;
        }
        if (!requestedUrl.isEmpty()) {
            throw HeraldException.field(ErrorCode.INVALID_URL, "url", "url is not used by " + destination.type()
                    .wireName() + " endpoints; the broker address is config." + destination.addressField());
        }
        return destination.address().get().toString();
    }

    private void applyStatusChange(EndpointStatus before, Endpoint after, Instant now) {
        if (before == after.status()) {
            return;
        }
        var deliveries = store.deliveries();
        switch (after.status()) {
            case PAUSED -> deliveries.hold(after.id(), now);
            case DISABLED -> deliveries.cancelPending(after.id(), now);
            case ACTIVE, FAILING -> {
                if (before == EndpointStatus.PAUSED) {
                    deliveries.release(after.id(), now);
                }
            }
        }
    }

    private List<String> checkEvents(Caller caller, List<String> requested) {
        if (requested.isEmpty()) {
            throw HeraldException.field(ErrorCode.INVALID_EVENTS, "events", "at least one event type is required");
        }
        if (requested.size() > MAX_EVENT_TYPES) {
            throw HeraldException.field(ErrorCode.INVALID_EVENTS, "events",
                    "at most " + MAX_EVENT_TYPES + " event types are allowed");
        }
        var unique = new LinkedHashSet<String>();
        var unknown = new ArrayList<String>();
        for (String type : requested) {
            if (type.equals(Endpoint.ALL_EVENTS)) {
                unique.add(type);
            } else if (!EventTypeName.isValid(type) || !catalog.contains(caller.account(), type)) {
                unknown.add(EchoedText.of(type));
            } else {
                unique.add(type);
            }
        }
        if (!unknown.isEmpty()) {
            throw HeraldException.field(ErrorCode.INVALID_EVENTS, "events", "Unknown event type: "
                    + String.join(", ", unknown));
        }
        return List.copyOf(unique);
    }

    private Optional<String> checkDescription(Optional<String> description) {
        if (description.isPresent() && description.get().length() > MAX_DESCRIPTION) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "description",
                    "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        return description;
    }

    private static OptionalInt checkRateLimit(OptionalInt rateLimit) {
        if (rateLimit.isPresent() && (rateLimit.getAsInt() < 1 || rateLimit.getAsInt() > MAX_RATE_LIMIT)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "rate_limit",
                    "rate_limit must be between 1 and " + MAX_RATE_LIMIT + " deliveries per second");
        }
        return rateLimit;
    }

    private static SigningSecret checkSecret(String secret) {
        try {
            return new SigningSecret(secret);
        } catch (IllegalArgumentException e) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "secret", e.getMessage());
        }
    }

    public static HeraldException notFound() {
        return HeraldException.of(ErrorCode.WEBHOOK_NOT_FOUND, "Webhook ID not found");
    }
}

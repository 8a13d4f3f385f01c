package dev.herald.service.endpoint;

import dev.herald.core.account.Account;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.Caller;
import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.destination.Destination;
import dev.herald.core.destination.DestinationRules;
import dev.herald.core.destination.DestinationType;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointSecret;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.error.EchoedText;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EventTypeName;
import dev.herald.core.outbound.UrlPolicy;
import dev.herald.core.signing.SigningSecret;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.service.account.AccountService;
import dev.herald.store.EndpointChanges;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.ListOrder;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;

import java.time.Clock;
import java.time.Duration;
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
    public static final int MAX_CHANNELS = 10;

    private final Store store;
    private final EventCatalog catalog;
    private final UrlPolicy urlPolicy;
    private final DestinationRules destinations;
    private final String signatureHeader;
    private final Duration rotationOverlap;
    private final EndpointChangeListener listener;
    private final EndpointLifecycle lifecycle;
    private final Clock clock;

    public EndpointService(Store store, EventCatalog catalog, EndpointSettings settings,
                           EndpointChangeListener listener, Clock clock) {
        this(store, catalog, settings, listener, EndpointLifecycle.NONE, clock);
    }

    /** {@code lifecycle} hears of every endpoint created, updated or deleted here (operational webhooks). */
    public EndpointService(Store store, EventCatalog catalog, EndpointSettings settings,
                           EndpointChangeListener listener, EndpointLifecycle lifecycle, Clock clock) {
        this.lifecycle = lifecycle;
        this.store = store;
        this.catalog = catalog;
        this.urlPolicy = settings.urlPolicy();
        this.destinations = new DestinationRules(settings.urlPolicy());
        this.signatureHeader = settings.signatureHeader();
        this.rotationOverlap = settings.rotationOverlap();
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
        EndpointProfile profile = checkProfile(caller, request.profile(), Optional.empty());
        var draft = new NewEndpoint(caller.account(), url, events, description, caller.key(), scope,
                rateLimit, headers, secret, destination, profile, checkRetrySchedule(request.retrySchedule()),
                request.ordering().map(EndpointService::checkOrdering).orElse(Ordering.UNORDERED));
        Endpoint created = store.endpoints().create(draft, clock.instant());
        listener.endpointChanged(created.id());
        lifecycle.created(created);
        return new CreatedEndpoint(created, secret);
    }

    public Endpoint get(Caller caller, EndpointRef ref) {
        var endpoints = store.endpoints();
        Optional<Endpoint> found = switch (ref) {
            case EndpointRef.Uid u -> endpoints.findByUid(caller.account(), u.uid());
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
        return list(caller, page, ListOrder.NEWEST_FIRST);
    }

    public Page<Endpoint> list(Caller caller, PageRequest page, ListOrder order) {
        try {
            return store.endpoints().list(caller.account(), page, order);
        } catch (InvalidCursorException e) {
            throw invalidCursor();
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

    /**
     * Applies the fields the patch names, and only those: a concurrent change of other fields or of the status
     * (the engine disabling the endpoint, say) is never written over. A status is set compare-and-set, with its
     * effect on pending deliveries in the same transaction.
     */
    public Endpoint update(Caller caller, EndpointRef ref, EndpointPatch patch) {
        Endpoint current = get(caller, ref);
        var changes = EndpointChanges.NONE;
        Destination destination = current.destination();
        if (patch.config().isPresent()) {
            destination = destinations.checkChange(current.destination(), patch.config().get());
            changes = changes.withDestination(destination);
        }
        if (patch.url().isPresent() || (patch.config().isPresent() && destination.type() != DestinationType.WEBHOOK)) {
            // a broker's url is its address, so a change of its config changes the url too
            changes = changes.withUrl(destinationUrl(destination, patch.url().orElse("")));
        }
        if (patch.events().isPresent()) {
            changes = changes.withEventTypes(checkEvents(caller, patch.events().get()));
        }
        if (patch.description().isPresent()) {
            changes = changes.withDescription(checkDescription(patch.description().get()));
        }
        if (patch.status().isPresent()) {
            if (patch.status().get() == EndpointStatus.FAILING) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, "status",
                        "status must be active, paused or disabled; failing is set by Herald");
            }
            changes = changes.withStatus(patch.status().get());
        }
        if (patch.clearRateLimit()) {
            changes = changes.withRateLimit(OptionalInt.empty());
        } else if (patch.rateLimit().isPresent()) {
            changes = changes.withRateLimit(checkRateLimit(patch.rateLimit()));
        }
        if (patch.headers().isPresent()) {
            changes = changes.withHeaders(CustomHeaders.check(patch.headers().get(), signatureHeader));
        }
        if (patch.profile().isPresent()) {
            changes = changes.withProfile(checkProfile(caller, patch.profile().get(), Optional.of(current)));
        }
        if (patch.retrySchedule().isPresent()) {
            changes = changes.withRetrySchedule(checkRetrySchedule(patch.retrySchedule().get()));
        }
        if (patch.ordering().isPresent()) {
            changes = changes.withOrdering(checkOrdering(patch.ordering().get()));
        }
        Endpoint updated = store.endpoints().update(caller.account(), current.id(), changes, clock.instant())
                .orElseThrow(EndpointService::notFound);
        listener.endpointChanged(updated.id());
        lifecycle.updated(updated);
        return updated;
    }

    public void delete(Caller caller, EndpointRef ref) {
        Endpoint current = get(caller, ref);
        if (!store.endpoints().delete(caller.account(), current.id(), clock.instant())) {
            throw notFound();
        }
        listener.endpointChanged(current.id());
        lifecycle.deleted(current);
    }

    /** The secret new deliveries are signed with (the newest valid one). */
    public SigningSecret currentSecret(Caller caller, EndpointRef ref) {
        Endpoint current = get(caller, ref);
        return store.endpoints().activeSecrets(current.id(), clock.instant()).stream().findFirst()
                .map(EndpointSecret::secret)
                .orElseThrow(() -> HeraldException.of(ErrorCode.NOT_FOUND, "the endpoint has no valid secret"));
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
     * The endpoint's signing secrets valid now, newest first: after a rotation the old one stays, with its expiry,
     * until the overlap ends. For the account's own people (the customer portal's "reveal"); no API response
     * shows a secret after the create.
     */
    public List<EndpointSecret> activeSecrets(Caller caller, EndpointRef ref) {
        Endpoint current = get(caller, ref);
        return store.endpoints().activeSecrets(current.id(), clock.instant());
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

    /**
     * The platform's uid (the pattern of an account's, unique among the account's live endpoints), metadata (the
     * bounds of an account's) and channels (at most {@value #MAX_CHANNELS}, each a uid-shaped name).
     */
    private EndpointProfile checkProfile(Caller caller, EndpointProfile profile, Optional<Endpoint> current) {
        if (profile.uid().isPresent()) {
            String uid = profile.uid().get();
            if (!Account.UID.matcher(uid).matches()) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, "uid",
                        "uid must be 1-256 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
            }
            Optional<Endpoint> holder = store.endpoints().findByUid(caller.account(), uid);
            if (holder.isPresent() && !holder.map(Endpoint::id).equals(current.map(Endpoint::id))) {
                throw HeraldException.field(ErrorCode.CONFLICT, "uid",
                        "uid " + uid + " already names another endpoint of this application");
            }
        }
        if (profile.metadata().size() > AccountService.MAX_METADATA || profile.metadata().entrySet().stream()
                .anyMatch(e -> e.getKey().isEmpty() || e.getKey().length() > AccountService.MAX_METADATA_TEXT
                        || e.getValue().length() > AccountService.MAX_METADATA_TEXT)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "metadata", "metadata holds at most "
                    + AccountService.MAX_METADATA + " entries, keys of 1-" + AccountService.MAX_METADATA_TEXT
                    + " and values of at most " + AccountService.MAX_METADATA_TEXT + " characters");
        }
        if (profile.channels().size() > MAX_CHANNELS
                || profile.channels().stream().anyMatch(c -> c.length() > 128 || !Account.UID.matcher(c).matches())) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "channels", "channels holds at most "
                    + MAX_CHANNELS + " names of 1-128 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
        return profile;
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

    /** At most 20 delays, each from 0 s to 24 h, so no delivery of any endpoint stays pending beyond 20 days. */
    private static Optional<List<Duration>> checkRetrySchedule(Optional<List<Duration>> delays) {
        delays.flatMap(RetrySchedule::endpointDelaysProblem).ifPresent(problem -> {
            throw HeraldException.field(ErrorCode.INVALID_RETRY_SCHEDULE, "retry_schedule", problem);
        });
        return delays;
    }

    private static Ordering checkOrdering(String ordering) {
        return Ordering.fromWire(ordering).orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST,
                "ordering", "ordering must be fifo or unordered"));
    }

    /**
     * How many of the endpoint's pending deliveries are held: waiting for a resume (paused) or behind its open
     * circuit. {@code endpoint} is one the caller may see ({@link #get}).
     */
    public long heldDeliveries(Endpoint endpoint) {
        return store.deliveries().held(endpoint.id());
    }

    private static SigningSecret checkSecret(String secret) {
        try {
            return new SigningSecret(secret);
        } catch (IllegalArgumentException e) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "secret", e.getMessage());
        }
    }

    /** A page cursor this service did not hand out. */
    public static HeraldException invalidCursor() {
        return HeraldException.field(ErrorCode.INVALID_REQUEST, "cursor", "cursor is not valid");
    }

    public static HeraldException notFound() {
        return HeraldException.of(ErrorCode.WEBHOOK_NOT_FOUND, "Webhook ID not found");
    }
}

package dev.herald.service.svix;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.account.Account;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventType;
import dev.herald.delivery.DeliveryObserver;
import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.delivery.publish.WirePayload;
import dev.herald.service.endpoint.EndpointLifecycle;
import dev.herald.store.AttemptRecord;
import dev.herald.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's operational webhooks: its own endpoints, kept as the endpoints of an internal account (uid
 * {@value #ACCOUNT_UID}, made on first use, never an application), receive Svix's {@code endpoint.created},
 * {@code endpoint.updated}, {@code endpoint.deleted} and {@code endpoint.disabled} for every application's endpoints
 * and {@code message.attempt.failing}, {@code message.attempt.exhausted} and {@code message.attempt.recovered} for
 * its messages, as Svix messages (signed, retried and recorded like any delivery). As a {@link DeliveryObserver} it
 * tells the engine what to publish; {@link #lifecycle} publishes what the endpoint service reports.
 */
public final class OperationalWebhooks implements DeliveryObserver {
    private static final Logger LOG = LoggerFactory.getLogger(OperationalWebhooks.class);
    /** Reads back the data of the engine's own events (compact JSON text, written by Herald). */
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String ACCOUNT_UID = "herald.operational-webhooks";
    static final String ENDPOINT_CREATED = "endpoint.created";
    static final String ENDPOINT_UPDATED = "endpoint.updated";
    static final String ENDPOINT_DELETED = "endpoint.deleted";
    static final String ENDPOINT_DISABLED = "endpoint.disabled";
    static final String ATTEMPT_FAILING = "message.attempt.failing";
    static final String ATTEMPT_EXHAUSTED = "message.attempt.exhausted";
    static final String ATTEMPT_RECOVERED = "message.attempt.recovered";
    /** As on Svix: a message is failing after its fourth failed attempt, recovered by a success after that. */
    static final int FAILING_AFTER_ATTEMPTS = 4;
    /** The types an operational endpoint may filter on: those Herald sends. */
    static final List<EventType> TYPES = List.of(
            new EventType(ENDPOINT_CREATED, "An endpoint was created", Optional.empty()),
            new EventType(ENDPOINT_UPDATED, "An endpoint was changed", Optional.empty()),
            new EventType(ENDPOINT_DELETED, "An endpoint was deleted", Optional.empty()),
            new EventType(ENDPOINT_DISABLED, "Herald disabled an endpoint that kept failing", Optional.empty()),
            new EventType(ATTEMPT_FAILING, "A message failed its fourth attempt", Optional.empty()),
            new EventType(ATTEMPT_EXHAUSTED, "A message failed its last attempt", Optional.empty()),
            new EventType(ATTEMPT_RECOVERED, "A failing message was delivered", Optional.empty()));

    private final Store store;
    private final Clock clock;

    public OperationalWebhooks(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The internal account holding the operational endpoints, made (with its event types) on first use. */
    public Account account() {
        Optional<Account> found = store.accounts().findByUid(ACCOUNT_UID);
        if (found.isPresent()) {
            return found.get();
        }
        // Two first uses racing: the uid is unique, so one creates and the other finds it.
        Account account = store.accounts().create("Operational webhooks", Optional.of(ACCOUNT_UID), Map.of(),
                clock.instant()).or(() -> store.accounts().findByUid(ACCOUNT_UID)).orElseThrow();
        for (EventType type : TYPES) {
            store.eventTypes().put(account.id(), type, clock.instant());
        }
        return account;
    }

    /** Whether {@code account} is the internal one (no application: never listed, named or published to). */
    public static boolean isOperational(Account account) {
        return account.uid().filter(ACCOUNT_UID::equals).isPresent();
    }

    /** What the endpoint service reports, published with {@code publisher}; failures are logged, not thrown. */
    public EndpointLifecycle lifecycle(EventPublisher publisher) {
        return new EndpointLifecycle() {
            @Override
            public void created(Endpoint endpoint) {
                endpointEvent(ENDPOINT_CREATED, endpoint).ifPresent(e -> publish(publisher, e));
            }

            @Override
            public void updated(Endpoint endpoint) {
                endpointEvent(ENDPOINT_UPDATED, endpoint).ifPresent(e -> publish(publisher, e));
            }

            @Override
            public void deleted(Endpoint endpoint) {
                endpointEvent(ENDPOINT_DELETED, endpoint).ifPresent(e -> publish(publisher, e));
            }
        };
    }

    /** {@code endpoint.disabled} for the engine's own event of that name about an application's endpoint. */
    @Override
    public List<PublishRequest> raised(PublishRequest event) {
        if (!event.type().equals(ENDPOINT_DISABLED)) {
            return List.of();
        }
        String webhookId;
        try {
            webhookId = JSON.readTree(event.data().text()).path("endpoint_id").asText();
        } catch (JacksonException e) {
            throw new IllegalStateException("the engine's own event data is JSON", e);
        }
        return Optional.of(webhookId).filter(WebhookId::isValid)
                .flatMap(id -> store.endpoints().findByPublicId(event.account(), new WebhookId(id)))
                .flatMap(endpoint -> endpointEvent(ENDPOINT_DISABLED, endpoint))
                .map(List::of).orElse(List.of());
    }

    /**
     * {@code message.attempt.failing} on a message's fourth failed attempt, {@code message.attempt.exhausted} on its
     * last, {@code message.attempt.recovered} on a success after the fourth.
     */
    @Override
    public List<PublishRequest> attempted(Delivery delivery, Endpoint endpoint, AttemptRecord record) {
        String type;
        if (record.newState() == DeliveryState.FAILED) {
            type = ATTEMPT_EXHAUSTED;
        } else if (!record.succeeded() && record.number() == FAILING_AFTER_ATTEMPTS) {
            type = ATTEMPT_FAILING;
        } else if (record.succeeded() && record.number() > FAILING_AFTER_ATTEMPTS) {
            type = ATTEMPT_RECOVERED;
        } else {
            return List.of();
        }
        Optional<Account> operational = operationalAccount(endpoint);
        Optional<Account> app = store.accounts().find(endpoint.accountId());
        if (operational.isEmpty() || app.isEmpty()) {
            return List.of();
        }
        var json = envelope(type);
        var data = json.putObject("data");
        data.put("appId", SvixIds.application(app.get()));
        putOptional(data, "appUid", app.get().uid());
        data.put("msgId", delivery.eventId().svixMessageId());
        putOptional(data, "msgEventId", store.events().find(app.get().id(), delivery.eventId()).flatMap(Event::uid));
        data.put("endpointId", SvixIds.endpoint(endpoint));
        var last = data.putObject("lastAttempt");
        store.deliveries().attempts(delivery.key()).stream().reduce((first, later) -> later)
                .ifPresent(a -> last.put("id", SvixIds.attempt(a.id())));
        last.put("responseStatusCode", record.responseStatus().orElse(0));
        last.put("timestamp", time(record.attemptedAt()));
        return List.of(request(operational.get(), type, json));
    }

    /** {@code type} about an application's endpoint, when the platform has operational endpoints. */
    private Optional<PublishRequest> endpointEvent(String type, Endpoint endpoint) {
        Optional<Account> operational = operationalAccount(endpoint);
        Optional<Account> app = store.accounts().find(endpoint.accountId());
        if (operational.isEmpty() || app.isEmpty()) {
            return Optional.empty();
        }
        var json = envelope(type);
        var data = json.putObject("data");
        data.put("appId", SvixIds.application(app.get()));
        putOptional(data, "appUid", app.get().uid());
        data.put("endpointId", SvixIds.endpoint(endpoint));
        putOptional(data, "endpointUid", endpoint.profile().uid());
        return Optional.of(request(operational.get(), type, json));
    }

    /** The internal account, unless it does not exist yet or {@code endpoint} is one of its own (no echoes). */
    private Optional<Account> operationalAccount(Endpoint endpoint) {
        return store.accounts().findByUid(ACCOUNT_UID).filter(a -> !a.id().equals(endpoint.accountId()));
    }

    /** Svix's shape: {@code {"type","timestamp","data":{…}}}. */
    private ObjectNode envelope(String type) {
        var json = JsonNodeFactory.instance.objectNode();
        json.put("type", type);
        json.put("timestamp", time(clock.instant()));
        return json;
    }

    private static PublishRequest request(Account operational, String type, ObjectNode payload) {
        return new PublishRequest(operational.id(), Optional.empty(), type, WirePayload.compact(payload),
                Optional.empty(),
                Optional.empty(), Optional.empty(), EventFormat.SVIX, Optional.empty(), List.of(), Optional.empty());
    }

    private static void publish(EventPublisher publisher, PublishRequest event) {
        try {
            publisher.publish(event);
        } catch (RuntimeException e) {
            LOG.error("OperationalWebhooks: could not publish {}. Will keep running.", event.type(), e);
        }
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static void putOptional(ObjectNode json, String field, Optional<String> value) {
        if (value.isPresent()) {
            json.put(field, value.get());
        } else {
            json.putNull(field);
        }
    }
}

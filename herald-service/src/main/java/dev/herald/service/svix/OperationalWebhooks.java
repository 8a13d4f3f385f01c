package dev.herald.service.svix;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.account.Account;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventType;
import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.service.endpoint.EndpointLifecycle;
import dev.herald.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's operational webhooks: its own endpoints, kept as the endpoints of an internal account (uid
 * {@value #ACCOUNT_UID}, made on first use, never an application), receive Svix's {@code endpoint.created},
 * {@code endpoint.updated} and {@code endpoint.deleted} for every application's endpoints, as Svix messages
 * (signed, retried and recorded like any delivery).
 */
public final class OperationalWebhooks implements EndpointLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(OperationalWebhooks.class);

    public static final String ACCOUNT_UID = "herald.operational-webhooks";
    static final String ENDPOINT_CREATED = "endpoint.created";
    static final String ENDPOINT_UPDATED = "endpoint.updated";
    static final String ENDPOINT_DELETED = "endpoint.deleted";
    /** The types an operational endpoint may filter on: those Herald sends. */
    static final List<EventType> TYPES = List.of(
            new EventType(ENDPOINT_CREATED, "An endpoint was created", Optional.empty()),
            new EventType(ENDPOINT_UPDATED, "An endpoint was changed", Optional.empty()),
            new EventType(ENDPOINT_DELETED, "An endpoint was deleted", Optional.empty()));

    private final Store store;
    private final EventPublisher publisher;
    private final Clock clock;

    public OperationalWebhooks(Store store, EventPublisher publisher, Clock clock) {
        this.store = store;
        this.publisher = publisher;
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

    @Override
    public void created(Endpoint endpoint) {
        raise(ENDPOINT_CREATED, endpoint);
    }

    @Override
    public void updated(Endpoint endpoint) {
        raise(ENDPOINT_UPDATED, endpoint);
    }

    @Override
    public void deleted(Endpoint endpoint) {
        raise(ENDPOINT_DELETED, endpoint);
    }

    /**
     * Publishes {@code type} about an application's endpoint to the operational endpoints, when there are any;
     * a failure is logged, since the change it reports has already happened.
     */
    private void raise(String type, Endpoint endpoint) {
        try {
            Optional<Account> operational = store.accounts().findByUid(ACCOUNT_UID);
            if (operational.isEmpty() || operational.get().id().equals(endpoint.accountId())) {
                return;
            }
            Optional<Account> app = store.accounts().find(endpoint.accountId());
            if (app.isEmpty()) {
                return;
            }
            publisher.publish(new PublishRequest(operational.get().id(), Optional.empty(), type,
                    payload(type, app.get(), endpoint), Optional.empty(), Optional.empty(), Optional.empty(),
                    EventFormat.SVIX, Optional.empty(), List.of(), Optional.empty()));
        } catch (RuntimeException e) {
            LOG.error("OperationalWebhooks: could not publish {} for endpoint {}. Will keep running.", type,
                    endpoint.publicId(), e);
        }
    }

    /** Svix's shape: {@code {"type","timestamp","data":{"appId","appUid","endpointId","endpointUid"}}}. */
    private ObjectNode payload(String type, Account app, Endpoint endpoint) {
        var json = JsonNodeFactory.instance.objectNode();
        json.put("type", type);
        json.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        var data = json.putObject("data");
        data.put("appId", SvixIds.application(app));
        putOptional(data, "appUid", app.uid());
        data.put("endpointId", SvixIds.endpoint(endpoint));
        putOptional(data, "endpointUid", endpoint.profile().uid());
        return json;
    }

    private static void putOptional(ObjectNode json, String field, Optional<String> value) {
        if (value.isPresent()) {
            json.put(field, value.get());
        } else {
            json.putNull(field);
        }
    }
}

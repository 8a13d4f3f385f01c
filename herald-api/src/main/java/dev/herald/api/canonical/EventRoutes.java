package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Caller;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.core.event.EventTypeName;
import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.store.EventFilter;
import dev.herald.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/events} publishes an event (202 {@code {"id","type","timestamp","deliveries"}}, durable
 * before the answer), {@code GET /v1/events} lists the account's events (newest first, filtered by
 * {@code type}, {@code since} and {@code until}) and {@code GET /v1/events/{id}} shows one with its deliveries. The
 * {@code Idempotency-Key} header is both replayed at the HTTP level and handed to the publisher, which
 * stores it with the event so repeats are caught across nodes too.
 */
public final class EventRoutes implements RouteGroup {
    private static final Set<String> PUBLISH_FIELDS = Set.of("type", "data", "id");

    private final EventPublisher publisher;
    private final Store store;
    private final IdempotentRequests idempotency;

    public EventRoutes(EventPublisher publisher, Store store, IdempotentRequests idempotency) {
        this.publisher = publisher;
        this.store = store;
        this.idempotency = idempotency;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/v1/events", idempotency.wrap(this::publish));
        routes.get("/v1/events", this::list);
        routes.get("/v1/events/{id}", this::get);
    }

    private void list(Context ctx) {
        EventFilter filter = EventFilter.ALL;
        String type = ctx.queryParam("type");
        if (type != null) {
            if (!EventTypeName.isValid(type)) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, "type",
                        "type must be an event type name such as order.created (at most 128 characters)");
            }
            filter = filter.withType(type);
        }
        Optional<Instant> since = TimeParameter.of(ctx, "since");
        Optional<Instant> until = TimeParameter.of(ctx, "until");
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "until", "until must be later than since");
        }
        if (since.isPresent()) {
            filter = filter.withSince(since.get());
        }
        if (until.isPresent()) {
            filter = filter.withUntil(until.get());
        }
        var account = Caller.of(ctx).account();
        var request = Listing.pageRequest(ctx);
        EventFilter chosen = filter;
        var page = Listing.read(() -> store.events().list(account, chosen, request));
        Json.write(ctx, Listing.page(page, EventRoutes::listed));
    }

    /** A listed event: {@code id, type, timestamp, data}, without its deliveries. */
    private static ObjectNode listed(Event event) {
        var json = Json.object();
        json.put("id", event.id().value());
        json.put("type", event.type());
        json.put("timestamp", ApiTime.seconds(event.timestamp()));
        json.set("data", data(event));
        return json;
    }

    private void publish(Context ctx) {
        var body = RequestBody.parse(ctx, PUBLISH_FIELDS, false);
        String type = body.requiredString("type");
        ObjectNode data = body.optionalObject("data").orElseThrow(() -> HeraldException.field(
                ErrorCode.INVALID_REQUEST, "data", "field 'data' is required"));
        Optional<EventId> id = body.optionalString("id").map(EventRoutes::eventId);
        Caller caller = Caller.of(ctx);
        Optional<String> key = Optional.ofNullable(ctx.header(IdempotentRequests.HEADER))
                .map(String::strip).filter(k -> !k.isEmpty());
        PublishReceipt receipt = publisher.publish(new PublishRequest(caller.account(), caller.key(), type, data, id, key));
        var json = Json.object();
        json.put("id", receipt.event().id().value());
        json.put("type", receipt.event().type());
        json.put("timestamp", ApiTime.seconds(receipt.event().timestamp()));
        json.put("deliveries", receipt.deliveries());
        ctx.status(202);
        Json.write(ctx, json);
    }

    private void get(Context ctx) {
        Caller caller = Caller.of(ctx);
        String text = ctx.pathParam("id");
        Event event = Optional.of(text).filter(EventId::isValid)
                .flatMap(t -> store.events().find(caller.account(), new EventId(t)))
                .orElseThrow(EventRoutes::notFound);
        var json = Json.object();
        json.put("id", event.id().value());
        json.put("type", event.type());
        json.put("timestamp", ApiTime.seconds(event.timestamp()));
        json.set("data", data(event));
        var webhooks = new WebhookLookup(store.endpoints(), caller.account());
        var deliveries = json.putArray("deliveries");
        store.events().deliveriesOf(caller.account(), event.id())
                .forEach(d -> deliveries.add(DeliveryJson.delivery(d, webhooks.publicId(d.endpointId()))));
        Json.write(ctx, json);
    }

    /** The event's data; {@code {}} once retention has purged the payload. */
    private static JsonNode data(Event event) {
        JsonNode data = payload(event).path("data");
        return data.isMissingNode() ? Json.object() : data;
    }

    private static JsonNode payload(Event event) {
        try {
            return Json.mapper().readTree(event.payload());
        } catch (IOException e) {
            throw new UncheckedIOException("stored payload of " + event.id() + " is not JSON", e);
        }
    }

    private static EventId eventId(String text) {
        if (!EventId.isValid(text)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "id",
                    "id must be evt_ followed by 1-64 letters, digits, '_' or '-'");
        }
        return new EventId(text);
    }

    static HeraldException notFound() {
        return HeraldException.of(ErrorCode.EVENT_NOT_FOUND, "Event ID not found");
    }
}

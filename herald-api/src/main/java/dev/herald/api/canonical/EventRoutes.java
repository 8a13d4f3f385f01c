package dev.herald.api.canonical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Callers;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RequestItems;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.Caller;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.core.event.EventTypeName;
import dev.herald.delivery.publish.PublishOutcome;
import dev.herald.delivery.publish.PublishReceipt;
import dev.herald.delivery.publish.WirePayload;
import dev.herald.service.event.BatchEvent;
import dev.herald.service.event.EventService;
import dev.herald.store.EventFilter;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/events} publishes an event (202 {@code {"id","type","timestamp","deliveries"}}, durable
 * before the answer), {@code POST /v1/events/batch} up to 500 in one transaction (202 {@code {"data":[…]}}, one
 * result or error per event in request order), {@code GET /v1/events} lists the account's events (newest first, filtered by
 * {@code type}, {@code since} and {@code until}) and {@code GET /v1/events/{id}} shows one with its deliveries. The
 * {@code Idempotency-Key} header is both replayed at the HTTP level and handed to the publisher, which
 * stores it with the event so repeats are caught across nodes too.
 */
public final class EventRoutes implements RouteGroup {
    private static final Set<String> PUBLISH_FIELDS = Set.of("type", "data", "id");
    /** The platform names the account it publishes for, and optionally the key it publishes as. */
    private static final Set<String> PLATFORM_PUBLISH_FIELDS = Set.of("type", "data", "id", "account", "api_key_id");
    private static final Set<String> BATCH_FIELDS = Set.of("events");

    private final EventService events;
    private final IdempotentRequests idempotency;

    public EventRoutes(EventService events, IdempotentRequests idempotency) {
        this.events = events;
        this.idempotency = idempotency;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        Handler customerPublish = idempotency.wrap(this::publish);
        // Idempotency-Key on a platform publish is the event's own (one event per account and key), so a repeat
        // answers with the original event; the customer surface also replays the stored response.
        routes.post("/v1/events", ctx -> {
            if (Callers.isPlatform(ctx)) {
                publishForAccount(ctx);
            } else {
                customerPublish.handle(ctx);
            }
        });
        Handler customerBatch = idempotency.wrap(ctx -> publishBatch(ctx, false));
        // A platform batch has no account of its own to store a response under; its Idempotency-Key reaches each
        // event instead (EventService.publishBatch), so a repeat answers with the events first stored.
        routes.post("/v1/events/batch", ctx -> {
            if (Callers.isPlatform(ctx)) {
                publishBatch(ctx, true);
            } else {
                customerBatch.handle(ctx);
            }
        });
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
        var page = events.list(Callers.of(ctx), filter, Listing.pageRequest(ctx));
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
        var body = RequestBody.parseKeepingText(ctx, PUBLISH_FIELDS, "data");
        String type = body.requiredString("type");
        EncodedPayload data = body.optionalObjectPayload("data").orElseThrow(() -> HeraldException.missing("data"));
        Optional<EventId> id = body.optionalString("id").map(EventRoutes::eventId);
        accepted(ctx, events.publish(Callers.of(ctx), type, data, id, idempotencyKey(ctx), traceparent(ctx)));
    }

    private void publishForAccount(Context ctx) {
        var body = RequestBody.parseKeepingText(ctx, PLATFORM_PUBLISH_FIELDS, "data");
        String account = accountRef(body);
        Optional<ApiKeyId> asKey = asKey(body);
        String type = body.requiredString("type");
        EncodedPayload data = body.optionalObjectPayload("data").orElseThrow(() -> HeraldException.missing("data"));
        Optional<EventId> id = body.optionalString("id").map(EventRoutes::eventId);
        accepted(ctx, events.publishFor(account, asKey, type, data, id, idempotencyKey(ctx), traceparent(ctx)));
    }

    /** The account a platform publish names, by its id or uid. */
    static String accountRef(RequestBody body) {
        JsonNode named = body.optionalValue("account").orElseThrow(() -> HeraldException.field(
                ErrorCode.ACCOUNT_REQUIRED, "account",
                "a platform key publishes for an account: give \"account\" (its id or uid)"));
        if (!(named.isIntegralNumber() && named.canConvertToLong() && named.asLong() > 0) && !named.isTextual()) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "account",
                    "account must be the account's id (a positive integer) or the uid you gave it");
        }
        return named.isTextual() ? named.asText() : Long.toString(named.asLong());
    }

    static Optional<ApiKeyId> asKey(RequestBody body) {
        return body.optionalLong("api_key_id", 1, Long.MAX_VALUE).stream().mapToObj(ApiKeyId::new).findFirst();
    }

    /**
     * Reads each event on its own, so one that is malformed is answered with its error in its place and the
     * others are published; the limits (1 MiB, 500 events) refuse the whole request.
     */
    private void publishBatch(Context ctx, boolean platform) {
        List<BatchItem> items = readBatch(RequestBody.bytes(ctx), platform);
        var batch = new ArrayList<BatchEvent>(items.size());
        for (BatchItem item : items) {
            item.event().ifPresent(batch::add);
        }
        Optional<Caller> caller = platform ? Optional.empty() : Optional.of(Callers.of(ctx));
        var published = events.publishBatch(caller, batch, idempotencyKey(ctx), traceparent(ctx)).iterator();
        var outcomes = new ArrayList<PublishOutcome>(items.size());
        for (BatchItem item : items) {
            outcomes.add(item.refusal().<PublishOutcome>map(PublishOutcome.Refused::new)
                    .orElseGet(published::next));
        }
        ctx.status(202);
        Json.write(ctx, batchAnswerJson(outcomes));
    }

    /** One event of a batch body as read: the event to publish, or the error its place is answered with. */
    record BatchItem(Optional<BatchEvent> event, Optional<HeraldException> refusal) {
    }

    /**
     * The events of a batch body in request order, each read or refused on its own; a body that is too large,
     * malformed, or not {@code {"events":[…]}} with 1 to 500 events is refused as a whole. The body is streamed and
     * each event's data kept as its compact text, as a single publish's is ({@link RequestItems}).
     */
    static List<BatchItem> readBatch(byte[] bytes, boolean platform) {
        EventService.checkBatchBytes(bytes.length);
        var items = RequestItems.parseKeepingText(bytes, BATCH_FIELDS, "events",
                platform ? PLATFORM_PUBLISH_FIELDS : PUBLISH_FIELDS, "data");
        EventService.checkBatchEvents(items.size());
        var read = new ArrayList<BatchItem>(items.size());
        for (int i = 0; i < items.size(); i++) {
            try {
                var item = items.get(i);
                String type = item.requiredString("type");
                EncodedPayload data = item.optionalObjectPayload("data")
                        .orElseThrow(() -> HeraldException.missing("data"));
                Optional<EventId> id = item.optionalString("id").map(EventRoutes::eventId);
                read.add(new BatchItem(Optional.of(platform
                        ? BatchEvent.forAccount(i, accountRef(item), asKey(item), type, data, id)
                        : BatchEvent.own(i, type, data, id)), Optional.empty()));
            } catch (HeraldException refused) {
                read.add(new BatchItem(Optional.empty(), Optional.of(refused)));
            }
        }
        return read;
    }

    /**
     * A batch's answer {@code {"data":[…]}}, one receipt or canonical error body per event, written by hand: the
     * same bytes as its tree (see {@link Json#quoted}), without a tree per event and the writer's pass over them.
     */
    static String batchAnswerJson(List<PublishOutcome> outcomes) {
        var json = new StringBuilder(16 + 128 * outcomes.size()).append("{\"data\":[");
        for (int i = 0; i < outcomes.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            switch (outcomes.get(i)) {
                case PublishOutcome.Accepted accepted -> json.append(receiptJson(accepted.receipt()));
                case PublishOutcome.Refused refused -> appendError(json, refused.error());
            }
        }
        return json.append("]}").toString();
    }

    /** A refused event's place in a batch answer: the canonical error body {@code {"error":{code,message,field}}}. */
    private static void appendError(StringBuilder json, HeraldException error) {
        String message = error.getMessage();
        json.append("{\"error\":{\"code\":").append(Json.quoted(error.code().code()))
                .append(",\"message\":").append(message == null ? "null" : Json.quoted(message));
        error.field().ifPresent(f -> json.append(",\"field\":").append(Json.quoted(f)));
        json.append("}}");
    }

    private static Optional<String> idempotencyKey(Context ctx) {
        return Optional.ofNullable(ctx.header(IdempotentRequests.HEADER)).map(String::strip).filter(k -> !k.isEmpty());
    }

    /** The publisher's W3C trace context, continued by the publish span and every attempt. */
    private static Optional<String> traceparent(Context ctx) {
        return Optional.ofNullable(ctx.header("traceparent"));
    }

    private static void accepted(Context ctx, PublishReceipt receipt) {
        Json.answer(ctx, 202, receiptJson(receipt));
    }

    /**
     * {@link #receipt} as text, concatenated at once: the same bytes as its tree, a third of the allocation. An id or
     * type with a character outside the Basic Multilingual Plane is quoted by the JSON writer ({@link Json#quoted}).
     */
    static String receiptJson(PublishReceipt receipt) {
        Event event = receipt.event();
        String id = event.id().value();
        String type = event.type();
        String timestamp = ApiTime.seconds(event.timestamp());
        if (hasSurrogate(id) || hasSurrogate(type)) {
            return "{\"id\":" + Json.quoted(id) + ",\"type\":" + Json.quoted(type) + ",\"timestamp\":\"" + timestamp
                    + "\",\"deliveries\":" + receipt.deliveries() + "}";
        }
        return "{\"id\":\"" + WirePayload.escaped(id) + "\",\"type\":\"" + WirePayload.escaped(type)
                + "\",\"timestamp\":\"" + timestamp + "\",\"deliveries\":" + receipt.deliveries() + "}";
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static ObjectNode receipt(PublishReceipt receipt) {
        var json = Json.object();
        json.put("id", receipt.event().id().value());
        json.put("type", receipt.event().type());
        json.put("timestamp", ApiTime.seconds(receipt.event().timestamp()));
        json.put("deliveries", receipt.deliveries());
        return json;
    }

    private void get(Context ctx) {
        EventService.EventLog log = events.get(Callers.of(ctx), ctx.pathParam("id"));
        Event event = log.event();
        var json = Json.object();
        json.put("id", event.id().value());
        json.put("type", event.type());
        json.put("timestamp", ApiTime.seconds(event.timestamp()));
        json.set("data", data(event));
        var deliveries = json.putArray("deliveries");
        log.deliveries().forEach(d -> deliveries.add(DeliveryJson.delivery(d, log.webhookOf(d))));
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

    static EventId eventId(String text) {
        if (!EventId.isValid(text)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "id",
                    "id must be evt_ followed by 1-64 letters, digits, '_' or '-'");
        }
        return new EventId(text);
    }
}

package dev.herald.api.svix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.account.Account;
import dev.herald.core.account.Caller;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventTypeName;
import dev.herald.service.svix.SvixIds;
import dev.herald.service.svix.SvixService;
import dev.herald.store.EventAttempt;
import dev.herald.store.EventFilter;
import dev.herald.store.ListOrder;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Svix messages (Herald events published in the Svix format) and their attempts: {@code POST …/msg} (202, the
 * payload delivered exactly as sent, {@code application} creating the application inline), list and get, the
 * attempts of a message or of an endpoint, and resending a message to an endpoint. Only translates; the rules
 * are {@link SvixService}'s.
 */
final class MessageRoutes implements RouteGroup {
    private static final String APP = ApplicationRoutes.BASE + "/{app_id}";
    private static final Set<String> FIELDS = Set.of("eventType", "payload", "eventId", "channels", "application",
            "tags", "payloadRetentionPeriod", "payloadRetentionHours", "transformationsParams", "deliverAt");

    private final SvixService svix;
    private final Store store;
    private final IdempotentRequests idempotency;

    MessageRoutes(SvixService svix, Store store, IdempotentRequests idempotency) {
        this.svix = svix;
        this.store = store;
        this.idempotency = idempotency;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(APP + "/msg", idempotency.wrap(this::create));
        routes.get(APP + "/msg", this::list);
        routes.get(APP + "/msg/{msg_id}", this::get);
        routes.get(APP + "/attempt/msg/{msg_id}", this::attemptsOfMessage);
        routes.get(APP + "/attempt/endpoint/{endpoint_id}", this::attemptsOfEndpoint);
        routes.post(APP + "/msg/{msg_id}/endpoint/{endpoint_id}/resend", idempotency.wrap(this::resend));
    }

    private void create(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, false);
        if (body.hasValue("deliverAt")) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "deliverAt",
                    "scheduled delivery (deliverAt) is not supported; send the message when it is due");
        }
        String eventType = body.requiredString("eventType");
        Optional<String> raw = rawPayload(body);
        ObjectNode payload = raw.map(MessageRoutes::parseRaw)
                .orElseGet(() -> body.optionalObject("payload").orElseThrow(() -> HeraldException.missing("payload")));
        Account app = ApplicationRoutes.inPathOrCreated(svix, ctx, body);
        var receipt = svix.sendMessage(app, eventType, payload, raw, body.optionalString("eventId"),
                body.optionalStringList("channels").orElse(List.of()),
                Optional.ofNullable(ctx.header(IdempotentRequests.HEADER)).map(String::strip)
                        .filter(k -> !k.isEmpty()));
        ctx.status(202);
        Json.write(ctx, SvixJson.message(receipt.event(), withContent(ctx)));
    }

    /**
     * The SDKs send the payload as text in {@code transformationsParams.rawPayload} (with {@code payload: {}}), so
     * its exact bytes can be delivered; that text wins.
     */
    private static Optional<String> rawPayload(RequestBody body) {
        Optional<ObjectNode> params = body.optionalObject("transformationsParams");
        if (params.isEmpty()) {
            return Optional.empty();
        }
        JsonNode raw = params.get().get("rawPayload");
        if (raw == null || raw.isNull()) {
            return Optional.empty();
        }
        if (!raw.isTextual()) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "transformationsParams",
                    "transformationsParams.rawPayload must be the payload as a JSON text");
        }
        return Optional.of(raw.textValue());
    }

    private static ObjectNode parseRaw(String raw) {
        try {
            if (Json.mapper().readTree(raw) instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            // reported below
        }
        throw HeraldException.field(ErrorCode.INVALID_REQUEST, "payload", "payload must be a JSON object");
    }

    private void list(Context ctx) {
        ListOrder order = SvixPaging.listOrder(ctx);
        Account app = svix.application(ApplicationRoutes.appId(ctx));
        EventFilter filter = EventFilter.ALL;
        List<String> types = ctx.queryParams("event_types");
        for (String type : types) {
            if (!EventTypeName.isValid(type)) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, "event_types",
                        "event_types must be event type names");
            }
        }
        if (types.size() > EventFilter.MAX_TYPES) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "event_types",
                    "at most " + EventFilter.MAX_TYPES + " event_types");
        }
        if (!types.isEmpty()) {
            filter = filter.withTypes(types);
        }
        Optional<Instant> after = time(ctx, "after");
        Optional<Instant> before = time(ctx, "before");
        if (after.isPresent()) {
            filter = filter.withSince(after.get());
        }
        if (before.isPresent()) {
            filter = filter.withUntil(before.get());
        }
        String channel = ctx.queryParam("channel");
        if (channel != null) {
            // Channels are few per message; a channel filter keeps the page's size by reading on until it is full.
            Json.write(ctx, SvixPaging.page(filteredPage(ctx, app, filter, order,
                    e -> e.channels().contains(channel)), e -> SvixJson.message(e, withContent(ctx))));
            return;
        }
        var page = svix.messages(app, filter, SvixPaging.pageRequest(ctx), order);
        Json.write(ctx, SvixPaging.page(page, e -> SvixJson.message(e, withContent(ctx))));
    }

    /** A page of the messages passing {@code keep}, reading the store page by page (at most 20 pages a request). */
    private Page<Event> filteredPage(Context ctx, Account app, EventFilter filter, ListOrder order,
                                     Predicate<Event> keep) {
        var request = SvixPaging.pageRequest(ctx);
        var kept = new ArrayList<Event>();
        Optional<String> cursor = request.cursor();
        for (int read = 0; read < 20; read++) {
            var page = svix.messages(app, filter, new PageRequest(cursor, request.limit()), order);
            for (Event event : page.items()) {
                if (keep.test(event)) {
                    kept.add(event);
                }
            }
            cursor = page.nextCursor();
            if (kept.size() >= request.limit() || cursor.isEmpty()) {
                break;
            }
        }
        return new Page<>(kept, cursor.isPresent(), cursor);
    }

    private void get(Context ctx) {
        Account app = svix.application(ApplicationRoutes.appId(ctx));
        Json.write(ctx, SvixJson.message(svix.message(app, ctx.pathParam("msg_id")), withContent(ctx)));
    }

    private void attemptsOfMessage(Context ctx) {
        ListOrder order = SvixPaging.listOrder(ctx);
        Account app = svix.application(ApplicationRoutes.appId(ctx));
        Event message = svix.message(app, ctx.pathParam("msg_id"));
        Optional<Endpoint> onlyTo = Optional.ofNullable(ctx.queryParam("endpoint_id"))
                .map(id -> svix.endpoint(svix.callerFor(app), id));
        var filter = AttemptFilter.of(ctx);
        List<Attempt> attempts = svix.attemptsOfMessage(app, message).stream().map(EventAttempt::attempt)
                .filter(a -> onlyTo.map(e -> e.id().equals(a.endpointId())).orElse(true))
                .filter(filter::keeps)
                .collect(Collectors.toCollection(ArrayList::new));
        if (order == ListOrder.OLDEST_FIRST) {
            Collections.reverse(attempts); // the store's list is newest first
        }
        var endpoints = new HashMap<EndpointId, Optional<Endpoint>>();
        Json.write(ctx, SvixPaging.page(attempts, ctx, a -> SvixIds.attempt(a.id()),
                a -> SvixJson.attempt(a, message.id().svixMessageId(), endpoints.computeIfAbsent(a.endpointId(),
                        id -> store.endpoints().find(app.id(), id)))));
    }

    private void attemptsOfEndpoint(Context ctx) {
        ListOrder order = SvixPaging.listOrder(ctx);
        Account app = svix.application(ApplicationRoutes.appId(ctx));
        Caller caller = svix.callerFor(app);
        Endpoint endpoint = svix.endpoint(caller, ctx.pathParam("endpoint_id"));
        var filter = AttemptFilter.of(ctx);
        var page = svix.attemptsOfEndpoint(endpoint, SvixPaging.pageRequest(ctx), order);
        var kept = page.items().stream().filter(a -> filter.keeps(a.attempt())).toList();
        Json.write(ctx, SvixPaging.page(new Page<>(kept, page.hasMore(), page.nextCursor()),
                a -> SvixJson.attempt(a.attempt(), a.eventId().svixMessageId(), Optional.of(endpoint))));
    }

    private void resend(Context ctx) {
        RequestBody.parse(ctx, Set.of(), true);
        Account app = svix.application(ApplicationRoutes.appId(ctx));
        Caller caller = svix.callerFor(app);
        Event message = svix.message(app, ctx.pathParam("msg_id"));
        svix.resend(app, message, svix.endpoint(caller, ctx.pathParam("endpoint_id")));
        ctx.status(202);
        Json.write(ctx, Json.object());
    }

    private static boolean withContent(Context ctx) {
        String text = ctx.queryParam("with_content");
        return text == null || !text.equalsIgnoreCase("false");
    }

    private static Optional<Instant> time(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(text -> ApiTime.parse(name, text));
    }

    /** The attempt filters: {@code status} (0 success, 2 fail), {@code status_code_class}, before, after. */
    private record AttemptFilter(Optional<Integer> status, Optional<Integer> codeClass, Optional<Instant> before,
                                 Optional<Instant> after) {
        static AttemptFilter of(Context ctx) {
            return new AttemptFilter(number(ctx, "status", Set.of(0, 1, 2, 3)),
                    number(ctx, "status_code_class", Set.of(0, 100, 200, 300, 400, 500)),
                    time(ctx, "before"), time(ctx, "after"));
        }

        boolean keeps(Attempt attempt) {
            int attemptStatus = attempt.succeeded() ? SvixJson.SUCCESS : SvixJson.FAIL;
            int code = attempt.responseStatus().orElse(0);
            return status.map(s -> s == attemptStatus).orElse(true)
                    && codeClass.map(c -> c == (code / 100) * 100).orElse(true)
                    && before.map(attempt.attemptedAt()::isBefore).orElse(true)
                    && after.map(attempt.attemptedAt()::isAfter).orElse(true);
        }

        private static Optional<Integer> number(Context ctx, String name, Set<Integer> allowed) {
            String text = ctx.queryParam(name);
            if (text == null) {
                return Optional.empty();
            }
            try {
                int value = Integer.parseInt(text.strip());
                if (allowed.contains(value)) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, name, name + " must be one of " + allowed);
        }
    }
}

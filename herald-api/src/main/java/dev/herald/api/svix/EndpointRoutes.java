package dev.herald.api.svix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.account.Caller;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.service.delivery.DeliveryService;
import dev.herald.service.endpoint.CreateEndpoint;
import dev.herald.service.endpoint.EndpointPatch;
import dev.herald.service.endpoint.EndpointRef;
import dev.herald.service.endpoint.EndpointService;
import dev.herald.service.svix.OperationalWebhooks;
import dev.herald.service.svix.SvixIds;
import dev.herald.service.svix.SvixService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /api/v1/app/{app_id}/endpoint}: Svix endpoints, the same rows as the application's webhooks on every other
 * surface. CRUD, the signing secret (get, rotate), recover, custom headers and delivery counts. Only translates to
 * {@link EndpointService} and {@link DeliveryService} calls made as the platform's caller in the application. The
 * same routes (without recover and counts) serve the platform's operational webhook endpoints
 * ({@link #operational}).
 */
final class EndpointRoutes implements RouteGroup {
    static final String APPLICATION_BASE = ApplicationRoutes.BASE + "/{app_id}/endpoint";
    static final String OPERATIONAL_BASE = "/api/v1/operational-webhook/endpoint";

    private static final Set<String> FIELDS = Set.of("url", "description", "filterTypes", "eventTypes", "channels",
            "disabled", "uid", "metadata", "rateLimit", "throttleRate", "headers", "secret", "version", "ordering");

    private final SvixService svix;
    private final EndpointService endpoints;
    private final DeliveryService deliveries;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final String base;
    private final String one;
    private final Function<Context, Caller> callers;
    private final boolean withDeliveries;

    private EndpointRoutes(SvixService svix, EndpointService endpoints, DeliveryService deliveries,
                           IdempotentRequests idempotency, Clock clock, String base,
                           Function<Context, Caller> callers, boolean withDeliveries) {
        this.base = base;
        this.one = base + "/{endpoint_id}";
        this.callers = callers;
        this.withDeliveries = withDeliveries;
        this.svix = svix;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    /** An application's endpoints, as the platform's caller in the application of the path. */
    static EndpointRoutes application(SvixService svix, EndpointService endpoints, DeliveryService deliveries,
                                      IdempotentRequests idempotency, Clock clock) {
        return new EndpointRoutes(svix, endpoints, deliveries, idempotency, clock, APPLICATION_BASE,
                ctx -> svix.callerFor(svix.application(ApplicationRoutes.appId(ctx))), true);
    }

    /** The platform's operational webhook endpoints, kept in the internal operational account. */
    static EndpointRoutes operational(SvixService svix, OperationalWebhooks operational, EndpointService endpoints,
                                      DeliveryService deliveries, IdempotentRequests idempotency, Clock clock) {
        return new EndpointRoutes(svix, endpoints, deliveries, idempotency, clock, OPERATIONAL_BASE,
                ctx -> svix.callerFor(operational.account()), false);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(base, this::list);
        routes.post(base, idempotency.wrap(this::create));
        routes.get(one, ctx -> Json.write(ctx, SvixJson.endpoint(endpoint(ctx, caller(ctx)))));
        routes.put(one, ctx -> update(ctx, false));
        routes.delete(one, this::delete);
        routes.get(one + "/secret", this::secret);
        routes.post(one + "/secret/rotate", idempotency.wrap(this::rotate));
        routes.get(one + "/headers", this::headers);
        routes.put(one + "/headers", ctx -> changeHeaders(ctx, false));
        if (withDeliveries) {
            routes.patch(one, ctx -> update(ctx, true));
            routes.post(one + "/recover", idempotency.wrap(this::recover));
            routes.patch(one + "/headers", ctx -> changeHeaders(ctx, true));
            routes.get(one + "/stats", this::stats);
        }
    }

    private void list(Context ctx) {
        var page = endpoints.list(caller(ctx), SvixPaging.pageRequest(ctx), SvixPaging.listOrder(ctx));
        Json.write(ctx, SvixPaging.page(page, SvixJson::endpoint));
    }

    private void create(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, false);
        Caller caller = caller(ctx);
        var request = new CreateEndpoint(body.requiredString("url"),
                eventTypes(body).orElse(List.of(Endpoint.ALL_EVENTS)),
                body.optionalString("description").filter(d -> !d.isEmpty()), body.optionalString("secret"),
                OptionalLong.empty(), rateLimit(body).orElse(OptionalInt.empty()),
                body.optionalStringMap("headers").orElse(Map.of()), "webhook", Map.of(),
                new EndpointProfile(body.optionalString("uid"), body.optionalStringMap("metadata").orElse(Map.of()),
                        body.optionalStringList("channels").orElse(List.of()), version(body).orElse(1)),
                Optional.empty(), body.optionalString("ordering"));
        Endpoint created = endpoints.create(caller, request).endpoint();
        if (body.optionalBoolean("disabled").orElse(false)) {
            created = endpoints.update(caller, new EndpointRef.Public(created.publicId()),
                    EndpointPatch.NONE.withStatus(EndpointStatus.DISABLED));
        }
        ctx.status(201);
        Json.write(ctx, SvixJson.endpoint(created));
    }

    /**
     * PUT replaces every field (absent ones return to their defaults: every event type, no channels, no limit);
     * PATCH changes only the fields given.
     */
    private void update(Context ctx, boolean partial) {
        var body = RequestBody.parse(ctx, FIELDS, partial);
        Caller caller = caller(ctx);
        Endpoint current = endpoint(ctx, caller);
        EndpointPatch patch = EndpointPatch.NONE;
        if (!partial || body.has("url")) {
            patch = patch.withUrl(body.requiredString("url"));
        }
        if (!partial || body.has("description")) {
            patch = patch.withDescription(body.optionalString("description").filter(d -> !d.isEmpty()));
        }
        if (!partial || body.has("filterTypes") || body.has("eventTypes")) {
            patch = patch.withEvents(eventTypes(body).orElse(List.of(Endpoint.ALL_EVENTS)));
        }
        if (!partial || body.has("rateLimit") || body.has("throttleRate")) {
            patch = patch.withRateLimit(rateLimit(body).orElse(OptionalInt.empty()));
        }
        if (!partial || body.has("ordering")) {
            patch = patch.withOrdering(body.optionalString("ordering").orElse(Ordering.UNORDERED.wireName()));
        }
        if (body.has("headers")) {
            patch = patch.withHeaders(body.optionalStringMap("headers").orElse(Map.of()));
        }
        if (body.hasValue("secret")) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "secret",
                    "the secret is changed with POST …/secret/rotate");
        }
        EndpointProfile profile = current.profile();
        patch = patch.withProfile(new EndpointProfile(
                !partial || body.has("uid") ? body.optionalString("uid") : profile.uid(),
                !partial || body.has("metadata") ? body.optionalStringMap("metadata").orElse(Map.of())
                        : profile.metadata(),
                !partial || body.has("channels") ? body.optionalStringList("channels").orElse(List.of())
                        : profile.channels(),
                !partial || body.has("version") ? version(body).orElse(1) : profile.version()));
        Optional<Boolean> disabled = body.optionalBoolean("disabled");
        if (!partial && disabled.isEmpty()) {
            disabled = Optional.of(false);
        }
        Optional<EndpointStatus> status = disabled.flatMap(d -> status(current, d));
        if (status.isPresent()) {
            patch = patch.withStatus(status.get());
        }
        Endpoint updated = endpoints.update(caller, ref(current), patch);
        Json.write(ctx, SvixJson.endpoint(updated));
    }

    /** {@code disabled} onto the status: true disables; false makes a disabled or paused endpoint active again. */
    private static Optional<EndpointStatus> status(Endpoint current, boolean disabled) {
        if (disabled) {
            return current.status() == EndpointStatus.DISABLED ? Optional.empty() : Optional.of(EndpointStatus.DISABLED);
        }
        return SvixJson.isDisabled(current) ? Optional.of(EndpointStatus.ACTIVE) : Optional.empty();
    }

    private void delete(Context ctx) {
        Caller caller = caller(ctx);
        endpoints.delete(caller, ref(endpoint(ctx, caller)));
        ctx.status(204);
    }

    private void secret(Context ctx) {
        Caller caller = caller(ctx);
        var json = Json.object();
        json.put("key", endpoints.currentSecret(caller, ref(endpoint(ctx, caller))).value());
        Json.write(ctx, json);
    }

    /** 204; the old secret keeps signing beside the new one for the configured overlap. */
    private void rotate(Context ctx) {
        var body = RequestBody.parse(ctx, Set.of("key", "gracePeriodSeconds"), true);
        if (body.hasValue("gracePeriodSeconds")) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "gracePeriodSeconds",
                    "the overlap of old and new secrets is Herald's configured rotation overlap");
        }
        Caller caller = caller(ctx);
        endpoints.rotateSecret(caller, ref(endpoint(ctx, caller)), body.optionalString("key"));
        ctx.status(204);
    }

    /**
     * Requeues the endpoint's failed deliveries since {@code since} and answers Svix's background task, already
     * finished: the requeue is one statement. Without {@code until}, every failure since is requeued.
     */
    private void recover(Context ctx) {
        var body = RequestBody.parse(ctx, Set.of("since", "until"), false);
        Instant since = ApiTime.parse("since", body.requiredString("since"));
        Optional<Instant> until = body.optionalString("until").map(text -> ApiTime.parse("until", text));
        Caller caller = caller(ctx);
        deliveries.recover(caller, ref(endpoint(ctx, caller)), since, until);
        var json = Json.object();
        json.put("id", SvixIds.task());
        json.put("status", "finished");
        json.put("task", "endpoint.recover");
        json.put("updatedAt", ApiTime.millis(clock.instant()));
        ctx.status(202);
        Json.write(ctx, json);
    }

    private void headers(Context ctx) {
        Json.write(ctx, headersJson(endpoint(ctx, caller(ctx))));
    }

    /** PUT replaces the custom headers; PATCH sets those given and removes those in {@code deleteHeaders}. */
    private void changeHeaders(Context ctx, boolean partial) {
        var body = RequestBody.parse(ctx, partial ? Set.of("headers", "deleteHeaders") : Set.of("headers"), false);
        Caller caller = caller(ctx);
        Endpoint current = endpoint(ctx, caller);
        Map<String, String> given = body.optionalStringMap("headers").orElse(Map.of());
        Map<String, String> headers = new LinkedHashMap<>(partial ? current.headers() : Map.of());
        headers.putAll(given);
        if (partial) {
            body.optionalStringList("deleteHeaders").orElse(List.of()).forEach(headers::remove);
        }
        endpoints.update(caller, ref(current), EndpointPatch.NONE.withHeaders(headers));
        ctx.status(204);
    }

    private static ObjectNode headersJson(Endpoint endpoint) {
        var json = Json.object();
        SvixJson.putMap(json, "headers", endpoint.headers());
        json.putArray("sensitive");
        return json;
    }

    /** Svix's delivery counts: delivered, pending, failed and cancelled deliveries (none is ever "sending" stored). */
    private void stats(Context ctx) {
        Map<DeliveryState, Long> counts = svix.deliveryCounts(endpoint(ctx, caller(ctx)));
        var json = Json.object();
        json.put("success", counts.get(DeliveryState.DELIVERED));
        json.put("pending", counts.get(DeliveryState.PENDING));
        json.put("sending", 0);
        json.put("fail", counts.get(DeliveryState.FAILED));
        json.put("canceled", counts.get(DeliveryState.CANCELLED));
        Json.write(ctx, json);
    }

    private Caller caller(Context ctx) {
        return callers.apply(ctx);
    }

    private Endpoint endpoint(Context ctx, Caller caller) {
        return svix.endpoint(caller, ctx.pathParam("endpoint_id"));
    }

    private static EndpointRef ref(Endpoint endpoint) {
        return new EndpointRef.Public(endpoint.publicId());
    }

    /** {@code eventTypes}, or its older name {@code filterTypes}; empty (every type) when neither is given. */
    private static Optional<List<String>> eventTypes(RequestBody body) {
        Optional<List<String>> types = body.optionalStringList("eventTypes")
                .or(() -> body.optionalStringList("filterTypes"));
        return types.filter(t -> !t.isEmpty());
    }

    /** {@code rateLimit}, or its older name {@code throttleRate}: deliveries per second. */
    private static Optional<OptionalInt> rateLimit(RequestBody body) {
        if (!body.has("rateLimit") && !body.has("throttleRate")) {
            return Optional.empty();
        }
        OptionalInt limit = body.optionalInt("rateLimit", 1, EndpointService.MAX_RATE_LIMIT);
        return Optional.of(limit.isPresent() ? limit
                : body.optionalInt("throttleRate", 1, EndpointService.MAX_RATE_LIMIT));
    }

    private static Optional<Integer> version(RequestBody body) {
        OptionalInt version = body.optionalInt("version", 1, Integer.MAX_VALUE);
        return version.isPresent() ? Optional.of(version.getAsInt()) : Optional.empty();
    }
}

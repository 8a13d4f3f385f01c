package dev.herald.api.canonical;

import dev.herald.api.endpoint.EndpointService;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Caller;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.delivery.DeliveryEngine;
import dev.herald.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Deliveries and their attempts: list a webhook's deliveries, show one with its attempt log, retry one now,
 * recover (requeue) a webhook's failed deliveries since a time, and send a test event. A disabled webhook
 * cannot be retried, recovered or tested ({@code 400 webhook_disabled}): set it {@code active} first.
 */
public final class DeliveryRoutes implements RouteGroup {
    private static final Set<String> RECOVER_FIELDS = Set.of("since");

    private final EndpointService endpoints;
    private final Store store;
    private final DeliveryEngine engine;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    public DeliveryRoutes(EndpointService endpoints, Store store, DeliveryEngine engine,
                          IdempotentRequests idempotency, Clock clock) {
        this.endpoints = endpoints;
        this.store = store;
        this.engine = engine;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/v1/webhooks/{id}/deliveries", this::listForWebhook);
        routes.post("/v1/webhooks/{id}/recover", idempotency.wrap(this::recover));
        routes.post("/v1/webhooks/{id}/test", idempotency.wrap(this::test));
        routes.get("/v1/deliveries/{id}", this::get);
        routes.post("/v1/deliveries/{id}/retry", idempotency.wrap(this::retry));
    }

    private void listForWebhook(Context ctx) {
        Endpoint endpoint = endpoints.get(Caller.of(ctx), WebhookRoutes.endpointRef(ctx));
        Optional<DeliveryState> state = Optional.ofNullable(ctx.queryParam("status")).map(text -> DeliveryState
                .fromWire(text).orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST, "status",
                        "status must be pending, delivered, failed or cancelled")));
        var request = Listing.pageRequest(ctx);
        var page = Listing.read(() -> store.deliveries().listForEndpoint(endpoint.id(), state, request));
        Json.write(ctx, Listing.page(page, d -> DeliveryJson.delivery(d, Optional.of(endpoint.publicId()))));
    }

    private void get(Context ctx) {
        Caller caller = Caller.of(ctx);
        Delivery delivery = delivery(ctx, caller);
        var webhooks = new WebhookLookup(store.endpoints(), caller.account());
        Json.write(ctx, DeliveryJson.withAttempts(delivery, webhooks.publicId(delivery.endpointId()),
                store.deliveries().attempts(delivery.key())));
    }

    private void retry(Context ctx) {
        RequestBody.parse(ctx, Set.of(), true);
        Caller caller = Caller.of(ctx);
        Delivery delivery = delivery(ctx, caller);
        Endpoint endpoint = store.endpoints().find(caller.account(), delivery.endpointId())
                .orElseThrow(EndpointService::notFound);
        requireNotDisabled(endpoint);
        engine.retryNow(delivery);
        Delivery now = store.deliveries().find(caller.account(), delivery.id()).orElse(delivery);
        ctx.status(202);
        Json.write(ctx, DeliveryJson.delivery(now, Optional.of(endpoint.publicId())));
    }

    private void recover(Context ctx) {
        var body = RequestBody.parse(ctx, RECOVER_FIELDS, false);
        String sinceText = body.requiredString("since");
        Instant since = ApiTime.parse("since", sinceText);
        Endpoint endpoint = endpoints.get(Caller.of(ctx), WebhookRoutes.endpointRef(ctx));
        requireNotDisabled(endpoint);
        int requeued = store.deliveries().requeueFailedSince(endpoint.id(), since, clock.instant());
        // Wakes the engine so the requeued deliveries go out now rather than at the next poll.
        engine.endpointChanged(endpoint.id());
        var json = Json.object();
        json.put("webhook_id", endpoint.publicId().value());
        json.put("since", ApiTime.seconds(since));
        json.put("requeued", requeued);
        ctx.status(202);
        Json.write(ctx, json);
    }

    private void test(Context ctx) {
        RequestBody.parse(ctx, Set.of(), true);
        Caller caller = Caller.of(ctx);
        Endpoint endpoint = endpoints.get(caller, WebhookRoutes.endpointRef(ctx));
        requireNotDisabled(endpoint);
        Attempt attempt = engine.sendTest(endpoint);
        var json = DeliveryJson.attempt(attempt);
        json.put("webhook_id", endpoint.publicId().value());
        store.deliveries().findByKey(attempt.deliveryKey()).ifPresent(d -> {
            json.put("delivery_id", d.id().value());
            json.put("event_id", d.eventId().value());
        });
        Json.write(ctx, json);
    }

    private Delivery delivery(Context ctx, Caller caller) {
        String text = ctx.pathParam("id");
        return Optional.of(text).filter(DeliveryId::isValid)
                .flatMap(t -> store.deliveries().find(caller.account(), new DeliveryId(t)))
                .orElseThrow(() -> HeraldException.of(ErrorCode.DELIVERY_NOT_FOUND, "Delivery ID not found"));
    }

    private static void requireNotDisabled(Endpoint endpoint) {
        if (endpoint.status() == EndpointStatus.DISABLED) {
            throw HeraldException.of(ErrorCode.WEBHOOK_DISABLED,
                    "Webhook has been disabled; set its status to active first");
        }
    }
}

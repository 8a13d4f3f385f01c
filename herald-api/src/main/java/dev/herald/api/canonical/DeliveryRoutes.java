package dev.herald.api.canonical;

import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Callers;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.service.delivery.DeliveryService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

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

    private final DeliveryService deliveries;
    private final IdempotentRequests idempotency;

    public DeliveryRoutes(DeliveryService deliveries, IdempotentRequests idempotency) {
        this.deliveries = deliveries;
        this.idempotency = idempotency;
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
        Optional<DeliveryState> state = Optional.ofNullable(ctx.queryParam("status")).map(text -> DeliveryState
                .fromWire(text).orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST, "status",
                        "status must be pending, delivered, failed or cancelled")));
        var request = Listing.pageRequest(ctx);
        var listed = deliveries.listForEndpoint(Callers.of(ctx), WebhookRoutes.endpointRef(ctx), state, request);
        var webhook = Optional.of(listed.endpoint().publicId());
        Json.write(ctx, Listing.page(listed.page(), d -> DeliveryJson.delivery(d, webhook)));
    }

    private void get(Context ctx) {
        var log = deliveries.get(Callers.of(ctx), ctx.pathParam("id"));
        Json.write(ctx, DeliveryJson.withAttempts(log.delivery(), log.endpoint().map(Endpoint::publicId),
                log.attempts()));
    }

    private void retry(Context ctx) {
        RequestBody.parse(ctx, Set.of(), true);
        var log = deliveries.retry(Callers.of(ctx), ctx.pathParam("id"));
        ctx.status(202);
        Json.write(ctx, DeliveryJson.delivery(log.delivery(), log.endpoint().map(Endpoint::publicId)));
    }

    private void recover(Context ctx) {
        var body = RequestBody.parse(ctx, RECOVER_FIELDS, false);
        String sinceText = body.requiredString("since");
        Instant since = ApiTime.parse("since", sinceText);
        var recovery = deliveries.recover(Callers.of(ctx), WebhookRoutes.endpointRef(ctx), since);
        var json = Json.object();
        json.put("webhook_id", recovery.endpoint().publicId().value());
        json.put("since", ApiTime.seconds(recovery.since()));
        json.put("requeued", recovery.requeued());
        ctx.status(202);
        Json.write(ctx, json);
    }

    private void test(Context ctx) {
        RequestBody.parse(ctx, Set.of(), true);
        var sent = deliveries.sendTest(Callers.of(ctx), WebhookRoutes.endpointRef(ctx));
        var json = DeliveryJson.attempt(sent.attempt());
        json.put("webhook_id", sent.endpoint().publicId().value());
        sent.delivery().ifPresent(d -> {
            json.put("delivery_id", d.id().value());
            json.put("event_id", d.eventId().value());
        });
        Json.write(ctx, json);
    }
}

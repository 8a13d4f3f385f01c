package dev.herald.api.canonical;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.Callers;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.account.Caller;
import dev.herald.core.destination.DestinationType;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.signing.SigningSecret;
import dev.herald.service.endpoint.CreateEndpoint;
import dev.herald.service.endpoint.CreatedEndpoint;
import dev.herald.service.endpoint.EndpointPatch;
import dev.herald.service.endpoint.EndpointRef;
import dev.herald.service.endpoint.EndpointService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code /v1/webhooks} (seeds 002 and 003): create, list, get with stats, update, delete and rotate the
 * signing secret. Only translates JSON to {@link EndpointService} calls and back; every rule lives there.
 */
public final class WebhookRoutes implements RouteGroup {
    private static final Set<String> CREATE_FIELDS =
            Set.of("url", "events", "description", "secret", "api_key_id", "rate_limit", "headers", "type", "config",
                    "retry_schedule", "ordering");
    private static final Set<String> PATCH_FIELDS = Set.of("url", "events", "description", "status", "rate_limit",
            "headers", "config", "retry_schedule", "ordering");
    private static final Set<String> ROTATE_FIELDS = Set.of("secret");

    private static final TypeReference<Map<String, Object>> CONFIG = new TypeReference<>() {
    };

    private final EndpointService endpoints;
    private final IdempotentRequests idempotency;

    public WebhookRoutes(EndpointService endpoints, IdempotentRequests idempotency) {
        this.endpoints = endpoints;
        this.idempotency = idempotency;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/v1/webhooks", idempotency.wrap(this::create));
        routes.get("/v1/webhooks", this::list);
        routes.get("/v1/webhooks/{id}", this::get);
        routes.patch("/v1/webhooks/{id}", this::update);
        routes.delete("/v1/webhooks/{id}", this::delete);
        routes.post("/v1/webhooks/{id}/secret/rotate", idempotency.wrap(this::rotate));
    }

    private void create(Context ctx) {
        var body = RequestBody.parse(ctx, CREATE_FIELDS, false);
        String type = body.optionalString("type").orElse(DestinationType.WEBHOOK.wireName());
        var request = new CreateEndpoint(
                // A broker endpoint's address is in its config; the service refuses a url given for one.
                type.equals(DestinationType.WEBHOOK.wireName()) ? body.requiredString("url")
                        : body.optionalString("url").orElse(""),
                body.requiredStringList("events"),
                body.optionalString("description"),
                body.optionalString("secret"),
                body.optionalLong("api_key_id", 1, Long.MAX_VALUE),
                body.optionalInt("rate_limit", 1, EndpointService.MAX_RATE_LIMIT),
                body.optionalStringMap("headers").orElse(Map.of()),
                type,
                config(body).orElse(Map.of()),
                retrySchedule(body),
                body.optionalString("ordering"));
        CreatedEndpoint created = endpoints.create(Callers.of(ctx), request);
        ObjectNode json = WebhookJson.webhook(created.endpoint());
        json.put("secret", created.secret().value());
        ctx.status(201);
        Json.write(ctx, json);
    }

    private void list(Context ctx) {
        var page = endpoints.list(Callers.of(ctx), Listing.pageRequest(ctx));
        Json.write(ctx, Listing.page(page, WebhookJson::webhook));
    }

    private void get(Context ctx) {
        Endpoint endpoint = endpoints.get(Callers.of(ctx), endpointRef(ctx));
        Json.write(ctx, WebhookJson.withStats(endpoint, endpoints.heldDeliveries(endpoint)));
    }

    private void update(Context ctx) {
        var body = RequestBody.parse(ctx, PATCH_FIELDS, false);
        EndpointPatch patch = EndpointPatch.NONE;
        if (body.has("url")) {
            patch = patch.withUrl(body.requiredString("url"));
        }
        if (body.has("events")) {
            patch = patch.withEvents(body.requiredStringList("events"));
        }
        if (body.has("description")) {
            patch = patch.withDescription(body.optionalString("description"));
        }
        if (body.has("status")) {
            patch = patch.withStatus(status(body.requiredString("status")));
        }
        if (body.has("rate_limit")) {
            OptionalInt limit = body.optionalInt("rate_limit", 1, EndpointService.MAX_RATE_LIMIT);
            patch = patch.withRateLimit(limit);
        }
        if (body.has("headers")) {
            patch = patch.withHeaders(body.optionalStringMap("headers").orElse(Map.of()));
        }
        if (body.has("config")) {
            patch = patch.withConfig(config(body).orElse(Map.of()));
        }
        if (body.has("retry_schedule")) {
            patch = patch.withRetrySchedule(retrySchedule(body));
        }
        if (body.has("ordering")) {
            patch = patch.withOrdering(body.requiredString("ordering"));
        }
        Endpoint updated = endpoints.update(Callers.of(ctx), endpointRef(ctx), patch);
        Json.write(ctx, WebhookJson.webhook(updated));
    }

    private void delete(Context ctx) {
        endpoints.delete(Callers.of(ctx), endpointRef(ctx));
        ctx.status(204);
    }

    private void rotate(Context ctx) {
        var body = RequestBody.parse(ctx, ROTATE_FIELDS, true);
        Caller caller = Callers.of(ctx);
        EndpointRef ref = endpointRef(ctx);
        SigningSecret secret = endpoints.rotateSecret(caller, ref, body.optionalString("secret"));
        var json = Json.object();
        json.put("id", ctx.pathParam("id"));
        json.put("secret", secret.value());
        Json.write(ctx, json);
    }

    /** The {@code config} object as plain values (strings, numbers, booleans, lists, maps) for the rules. */
    private static Optional<Map<String, Object>> config(RequestBody body) {
        return body.optionalObject("config").map(node -> Json.mapper().convertValue(node, CONFIG));
    }

    /**
     * {@code retry_schedule}: delays in whole seconds before each attempt ({@code [0, 60, 300]}); null or absent is
     * the configured schedule. Ranges are the service's rule; here only the shape is read.
     */
    private static Optional<List<Duration>> retrySchedule(RequestBody body) {
        JsonNode node = body.node().get("retry_schedule");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw HeraldException.field(ErrorCode.INVALID_RETRY_SCHEDULE, "retry_schedule",
                    "retry_schedule must be an array of delays in seconds, e.g. [0, 60, 300]");
        }
        var delays = new ArrayList<Duration>();
        for (JsonNode delay : node) {
            if (!delay.isIntegralNumber() || !delay.canConvertToLong()) {
                throw HeraldException.field(ErrorCode.INVALID_RETRY_SCHEDULE, "retry_schedule",
                        "each retry_schedule delay is a whole number of seconds");
            }
            delays.add(Duration.ofSeconds(delay.asLong()));
        }
        return Optional.of(delays);
    }

    /** A malformed id names no webhook, so it is "not found" exactly like a missing one. */
    static EndpointRef endpointRef(Context ctx) {
        return EndpointRef.publicId(ctx.pathParam("id")).orElseThrow(EndpointService::notFound);
    }

    private static EndpointStatus status(String text) {
        return EndpointStatus.fromWire(text).orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST,
                "status", "status must be active, paused or disabled"));
    }
}

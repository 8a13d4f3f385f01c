package dev.herald.api.svix;

import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.HttpStatuses;
import dev.herald.api.http.Json;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import io.javalin.http.Context;

import java.util.Set;

/**
 * Svix's error bodies: {@code {"code":"not_found","detail":"…"}} with Svix's codes and statuses, and for invalid
 * input its validation shape, {@code 422 {"detail":[{"loc":["body","url"],"msg":"…","type":"value_error"}]}}.
 */
public final class SvixErrors implements ErrorRenderer {
    /** Fields that arrive in the query string rather than the body, for a validation error's {@code loc}. */
    private static final Set<String> QUERY_FIELDS = Set.of("limit", "iterator", "order", "before", "after",
            "status", "status_code_class", "event_types", "channel", "with_content", "include_archived", "expunge",
            "get_if_exists");

    @Override
    public void render(Context ctx, HeraldException error, RequestId requestId) {
        if (isValidation(error.code())) {
            var body = Json.object();
            var item = body.putArray("detail").addObject();
            var loc = item.putArray("loc");
            String field = error.field().orElse("body");
            loc.add(error.field().filter(QUERY_FIELDS::contains).isPresent() ? "query" : "body");
            if (error.field().isPresent()) {
                loc.add(field);
            }
            item.put("msg", error.getMessage());
            item.put("type", "value_error." + error.code().code());
            ctx.status(422);
            Json.write(ctx, body);
            return;
        }
        var body = Json.object();
        body.put("code", code(error.code()));
        body.put("detail", error.getMessage());
        ctx.status(HttpStatuses.of(error.code()));
        Json.write(ctx, body);
    }

    /** Every kind of bad input is a validation error, as FastAPI-style Svix answers it. */
    private static boolean isValidation(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, INVALID_URL, INVALID_EVENTS, ACCOUNT_REQUIRED, INVALID_API_KEY_ID -> true;
            default -> false;
        };
    }

    private static String code(ErrorCode code) {
        return switch (code) {
            case UNAUTHORIZED -> "authentication_failed";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND, ACCOUNT_NOT_FOUND, WEBHOOK_NOT_FOUND, EVENT_NOT_FOUND, DELIVERY_NOT_FOUND,
                 EVENT_TYPE_NOT_FOUND -> "not_found";
            case CONFLICT, IDEMPOTENCY_CONFLICT -> "conflict";
            case WEBHOOK_DISABLED -> "endpoint_disabled";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case PAYLOAD_TOO_LARGE -> "payload_too_large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported_media_type";
            case RATE_LIMITED -> "rate_limited";
            case STORE_UNAVAILABLE -> "service_unavailable";
            case INTERNAL -> "internal_server_error";
            default -> code.code();
        };
    }
}

package dev.herald.api.apimall;

import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.HttpStatuses;
import dev.herald.api.http.Json;
import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import io.javalin.http.Context;

/**
 * API Mall's error body, {@code {"success":false,"error":{"code","message"},"request_id":"req_…"}}, with the
 * seeds' small code set: every validation failure is {@code invalid_request} (the message keeps the reason,
 * e.g. "Invalid webhook URL: URL must be HTTPS"), every missing resource {@code not_found}.
 */
public final class ApiMallErrors implements ErrorRenderer {
    @Override
    public void render(Context ctx, HeraldException error, RequestId requestId) {
        ctx.status(HttpStatuses.of(error.code()));
        Json.write(ctx, ApiMallEnvelope.failure(code(error), message(error), requestId.value()));
    }

    private static String code(HeraldException error) {
        return switch (error.code()) {
            case INVALID_REQUEST, INVALID_URL, INVALID_EVENTS, INVALID_RETRY_SCHEDULE, WEBHOOK_DISABLED, ACCOUNT_REQUIRED,
                 INVALID_API_KEY_ID ->
                    "invalid_request";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND, ACCOUNT_NOT_FOUND, WEBHOOK_NOT_FOUND, EVENT_NOT_FOUND, DELIVERY_NOT_FOUND,
                 EVENT_TYPE_NOT_FOUND -> "not_found";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            case IDEMPOTENCY_CONFLICT, CONFLICT -> "conflict";
            case PAYLOAD_TOO_LARGE -> "payload_too_large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported_media_type";
            case RATE_LIMITED -> "rate_limited";
            case INTERNAL -> "internal";
            case STORE_UNAVAILABLE -> "service_unavailable";
        };
    }

    /** Starts with the seeds' wording ("Invalid webhook URL", "Unauthorized") and keeps Herald's reason. */
    private static String message(HeraldException error) {
        String reason = error.getMessage();
        return switch (error.code()) {
            case INVALID_URL -> "Invalid webhook URL: " + reason;
            case INVALID_EVENTS -> "Invalid webhook events: " + reason;
            case UNAUTHORIZED -> "Unauthorized: " + reason;
            case WEBHOOK_NOT_FOUND -> "Webhook not found";
            case INVALID_REQUEST -> error.field().filter("secret"::equals).isPresent()
                    ? "Invalid secret_key: " + reason : reason;
            default -> reason;
        };
    }
}

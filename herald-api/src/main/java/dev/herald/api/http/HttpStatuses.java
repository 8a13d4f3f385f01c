package dev.herald.api.http;

import dev.herald.core.error.ErrorCode;

/** The HTTP status each error code is answered with on every surface (a surface may refine validation to 422). */
public final class HttpStatuses {
    private HttpStatuses() {
    }

    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, INVALID_URL, INVALID_EVENTS, INVALID_RETRY_SCHEDULE, WEBHOOK_DISABLED -> 400;
            case ACCOUNT_REQUIRED, INVALID_API_KEY_ID -> 422;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND, ACCOUNT_NOT_FOUND, WEBHOOK_NOT_FOUND, EVENT_NOT_FOUND, DELIVERY_NOT_FOUND, EVENT_TYPE_NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case IDEMPOTENCY_CONFLICT, CONFLICT -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case RATE_LIMITED -> 429;
            case INTERNAL -> 500;
            case STORE_UNAVAILABLE -> 503;
        };
    }
}

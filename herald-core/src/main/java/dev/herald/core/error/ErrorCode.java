package dev.herald.core.error;

/** The machine-readable error codes Herald answers with, each with the HTTP status it maps to. */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_URL("invalid_url", 400),
    INVALID_EVENTS("invalid_events", 400),
    WEBHOOK_DISABLED("webhook_disabled", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    WEBHOOK_NOT_FOUND("webhook_not_found", 404),
    EVENT_NOT_FOUND("event_not_found", 404),
    DELIVERY_NOT_FOUND("delivery_not_found", 404),
    EVENT_TYPE_NOT_FOUND("event_type_not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    IDEMPOTENCY_CONFLICT("idempotency_conflict", 409),
    CONFLICT("conflict", 409),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    RATE_LIMITED("rate_limited", 429),
    INTERNAL("internal", 500),
    STORE_UNAVAILABLE("store_unavailable", 503);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}

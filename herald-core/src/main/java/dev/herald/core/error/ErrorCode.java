package dev.herald.core.error;

/** The machine-readable error codes Herald answers with; each surface maps them to its HTTP statuses. */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request"),
    INVALID_URL("invalid_url"),
    INVALID_EVENTS("invalid_events"),
    INVALID_RETRY_SCHEDULE("invalid_retry_schedule"),
    ACCOUNT_REQUIRED("account_required"),
    INVALID_API_KEY_ID("invalid_api_key_id"),
    WEBHOOK_DISABLED("webhook_disabled"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not_found"),
    ACCOUNT_NOT_FOUND("account_not_found"),
    WEBHOOK_NOT_FOUND("webhook_not_found"),
    EVENT_NOT_FOUND("event_not_found"),
    DELIVERY_NOT_FOUND("delivery_not_found"),
    EVENT_TYPE_NOT_FOUND("event_type_not_found"),
    METHOD_NOT_ALLOWED("method_not_allowed"),
    IDEMPOTENCY_CONFLICT("idempotency_conflict"),
    CONFLICT("conflict"),
    PAYLOAD_TOO_LARGE("payload_too_large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    RATE_LIMITED("rate_limited"),
    INTERNAL("internal"),
    STORE_UNAVAILABLE("store_unavailable");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}

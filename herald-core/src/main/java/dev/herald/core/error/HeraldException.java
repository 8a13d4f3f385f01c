package dev.herald.core.error;

import java.util.Objects;
import java.util.Optional;

/**
 * An expected failure (bad input, unknown id, forbidden scope) carrying the code it is answered with and the
 * {@link Reason} it is of. Messages are shown to API callers, so they never contain secrets or key material.
 */
public final class HeraldException extends RuntimeException {
    private final ErrorCode code;
    private final Reason reason;
    private final String field;

    private HeraldException(ErrorCode code, Reason reason, String message, String field, Throwable cause) {
        super(message, cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field;
    }

    public static HeraldException of(ErrorCode code, String message) {
        return new HeraldException(code, Reason.OTHER, message, null, null);
    }

    /** An unacceptable value of one request field (dialects that report field locations use it). */
    public static HeraldException field(ErrorCode code, String field, String message) {
        return new HeraldException(code, Reason.INVALID_VALUE, message, field, null);
    }

    /** A required request field that is absent. */
    public static HeraldException missing(String field) {
        return new HeraldException(ErrorCode.INVALID_REQUEST, Reason.MISSING_FIELD,
                "field '" + field + "' is required", field, null);
    }

    /** A request field the route does not take; {@code field} is named as the caller sent it. */
    public static HeraldException unknownField(String field) {
        return new HeraldException(ErrorCode.INVALID_REQUEST, Reason.UNKNOWN_FIELD,
                "unknown field '" + EchoedText.of(field) + "'", field, null);
    }

    /** A body that is not JSON (or not UTF-8) at all. */
    public static HeraldException malformedBody(String message) {
        return new HeraldException(ErrorCode.INVALID_REQUEST, Reason.MALFORMED_BODY, message, null, null);
    }

    public static HeraldException wrap(ErrorCode code, String message, Throwable cause) {
        return new HeraldException(code, Reason.OTHER, message, null, cause);
    }

    public ErrorCode code() {
        return code;
    }

    public Reason reason() {
        return reason;
    }

    /** The request field the error is about, when there is one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}

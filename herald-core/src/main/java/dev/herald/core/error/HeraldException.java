package dev.herald.core.error;

/**
 * An expected failure (bad input, unknown id, forbidden scope) carrying the code it is answered with.
 * Messages are shown to API callers, so they never contain secrets or key material.
 */
public final class HeraldException extends RuntimeException {
    private final ErrorCode code;
    private final String field;

    private HeraldException(ErrorCode code, String message, String field, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.field = field;
    }

    public static HeraldException of(ErrorCode code, String message) {
        return new HeraldException(code, message, null, null);
    }

    /** A validation failure attributable to one request field (dialects that report field locations use it). */
    public static HeraldException field(ErrorCode code, String field, String message) {
        return new HeraldException(code, message, field, null);
    }

    public static HeraldException wrap(ErrorCode code, String message, Throwable cause) {
        return new HeraldException(code, message, null, cause);
    }

    public ErrorCode code() {
        return code;
    }

    /** The request field the error is about, when there is one. */
    public java.util.Optional<String> field() {
        return java.util.Optional.ofNullable(field);
    }
}

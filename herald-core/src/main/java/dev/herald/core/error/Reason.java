package dev.herald.core.error;

/**
 * What kind of input failure an error is, beyond its code: surfaces that report the kind of a validation failure
 * (Midmarket's pydantic {@code type}) read it here, never from the message text.
 */
public enum Reason {
    /** A value was given but is not acceptable (the default for field errors). */
    INVALID_VALUE,
    /** A required field is absent. */
    MISSING_FIELD,
    /** A field the request may not carry. */
    UNKNOWN_FIELD,
    /** The body is not JSON, or not UTF-8. */
    MALFORMED_BODY,
    /** Not an input failure of a field (not found, forbidden, conflicts, server-side failures). */
    OTHER
}

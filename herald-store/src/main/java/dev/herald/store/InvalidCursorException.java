package dev.herald.store;

/** A page cursor the store did not issue (malformed, or naming no possible row); the caller's input is wrong. */
public final class InvalidCursorException extends RuntimeException {
    public InvalidCursorException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}

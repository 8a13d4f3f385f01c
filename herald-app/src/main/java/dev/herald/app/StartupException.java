package dev.herald.app;

/** Herald could not start for a reason the operator can fix (a port in use, say); the message says which. */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}

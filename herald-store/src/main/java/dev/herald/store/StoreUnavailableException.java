package dev.herald.store;

/**
 * The database could not be reached (connection refused, pool exhausted, server shutting down).
 * Callers answer 503 rather than 500: the request may succeed if retried.
 */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

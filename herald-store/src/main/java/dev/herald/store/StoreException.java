package dev.herald.store;

/** A database failure, wrapped once at the store boundary with what was being done. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}

package dev.herald.store;

import java.util.Optional;

/**
 * Which page to read: up to {@code limit} items strictly older than the cursor. Cursors are the row key
 * of the last item seen, encoded as a string by the store; a malformed cursor is an
 * {@link IllegalArgumentException}.
 */
public record PageRequest(Optional<String> cursor, int limit) {
    public static final int MAX_LIMIT = 250;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(Optional.empty(), limit);
    }
}

package dev.herald.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a keyset-paginated listing, newest first. {@code nextCursor} is opaque to callers and is
 * present exactly when {@code hasMore}.
 */
public record Page<T>(List<T> items, boolean hasMore, Optional<String> nextCursor) {
    public Page {
        items = List.copyOf(items);
        if (hasMore != nextCursor.isPresent()) {
            throw new IllegalArgumentException("nextCursor is present exactly when hasMore");
        }
    }
}

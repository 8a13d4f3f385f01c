package dev.herald.store;

/** The direction of a keyset-paginated listing by row key: newest first (the default) or oldest first. */
public enum ListOrder {
    NEWEST_FIRST, OLDEST_FIRST
}

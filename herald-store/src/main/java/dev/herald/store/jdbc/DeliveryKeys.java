package dev.herald.store.jdbc;

import dev.herald.store.StoreException;

/**
 * The row keys an insert of deliveries returned, found by their event's row key and their endpoint: an event has at
 * most one delivery per endpoint, and both are numbers the insert returns as they are. Read back by public id
 * instead, each row made a byte array, a string and a boxed key in a map (2 % of what a publish allocated).
 * An open-addressing table of primitive longs; event keys are positive, so 0 marks a free slot.
 */
final class DeliveryKeys {
    private final long[] events;
    private final long[] endpoints;
    private final long[] keys;
    private final int mask;
    private int size;

    /** Room for {@code capacity} deliveries. */
    DeliveryKeys(int capacity) {
        int slots = Integer.highestOneBit(Math.max(4, capacity * 2) - 1) << 1;
        events = new long[slots];
        endpoints = new long[slots];
        keys = new long[slots];
        mask = slots - 1;
    }

    /** Records the row key of the delivery of event {@code event} to endpoint {@code endpoint}. */
    void put(long event, long endpoint, long key) {
        if (event <= 0) {
            throw new StoreException("store: an event's row key must be positive, was " + event);
        }
        if (size == mask) {
            throw new StoreException("store: more deliveries returned than inserted");
        }
        int slot = slot(event, endpoint);
        while (events[slot] != 0) {
            if (events[slot] == event && endpoints[slot] == endpoint) {
                throw new StoreException("store: event " + event + " has two deliveries to endpoint " + endpoint);
            }
            slot = (slot + 1) & mask;
        }
        events[slot] = event;
        endpoints[slot] = endpoint;
        keys[slot] = key;
        size++;
    }

    /** The row key of the delivery of {@code event} to {@code endpoint}, or -1 when none was inserted. */
    long get(long event, long endpoint) {
        for (int slot = slot(event, endpoint); events[slot] != 0; slot = (slot + 1) & mask) {
            if (events[slot] == event && endpoints[slot] == endpoint) {
                return keys[slot];
            }
        }
        return -1;
    }

    int size() {
        return size;
    }

    private int slot(long event, long endpoint) {
        long h = (event * 0x9E3779B97F4A7C15L) ^ (endpoint * 0xC2B2AE3D27D4EB4FL);
        return (int) (h ^ (h >>> 32)) & mask;
    }
}

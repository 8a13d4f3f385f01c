package dev.herald.api.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Keys found active, by the hash of their token, each remembered for a short time: it takes the store lookup off
 * all but one request per key per cache time. Unknown and revoked keys are never remembered, so a new key works
 * at once; {@link #forget} drops a key revoked on this node at once.
 */
final class RememberedKeys<K> {
    /** More distinct live keys than this within the cache time clears the cache rather than growing it. */
    private static final int MAX_CACHED_KEYS = 10_000;

    private record Remembered<K>(K key, long untilNanos) {
    }

    private final Function<String, Optional<K>> lookup;
    private final long cacheNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Remembered<K>> active = new ConcurrentHashMap<>();

    RememberedKeys(Function<String, Optional<K>> lookup, long cacheNanos, LongSupplier nanoTime) {
        this.lookup = lookup;
        this.cacheNanos = cacheNanos;
        this.nanoTime = nanoTime;
    }

    Optional<K> find(String hash) {
        long now = nanoTime.getAsLong();
        Remembered<K> remembered = active.get(hash);
        if (remembered != null && now - remembered.untilNanos() < 0) {
            return Optional.of(remembered.key());
        }
        Optional<K> found = lookup.apply(hash);
        if (found.isEmpty()) {
            active.remove(hash);
        } else if (cacheNanos > 0) {
            if (active.size() >= MAX_CACHED_KEYS) {
                active.clear();
            }
            active.put(hash, new Remembered<>(found.get(), now + cacheNanos));
        }
        return found;
    }

    void forget(Predicate<K> which) {
        active.values().removeIf(remembered -> which.test(remembered.key()));
    }
}

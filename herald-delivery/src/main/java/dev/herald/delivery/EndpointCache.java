package dev.herald.delivery;

import dev.herald.core.account.AccountId;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointSecret;
import dev.herald.core.signing.DeliverySignatures;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.Endpoints;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Endpoints and their valid secrets, and each account's fan-out candidates, reused for a short while so that
 * neither sending nor publishing costs a database read per request. {@link #invalidate} is called whenever an
 * endpoint is created or changes (by a user or by the engine) on this node; the TTL bounds how long another
 * node's change can go unseen.
 */
final class EndpointCache {
    /**
     * What sending to an endpoint needs, prepared once per load: its valid secrets keyed for signing (empty when
     * it has none) and its URL parsed (empty when malformed).
     */
    record Snapshot(Endpoint endpoint, List<SigningSecret> secrets, Optional<DeliverySignatures.Keys> keys,
                    Optional<URI> uri) {
        /**
         * The snapshot of a fresh load; the keys of {@code previous} (the expired copy, if any) are kept when the
         * secrets did not change, so a reload every TTL neither keys new MACs nor empties the kept ones.
         */
        static Snapshot of(Endpoint endpoint, List<SigningSecret> secrets, Optional<Snapshot> previous) {
            Optional<URI> uri;
            try {
                uri = Optional.of(URI.create(endpoint.url()));
            } catch (IllegalArgumentException e) {
                uri = Optional.empty();
            }
            Optional<DeliverySignatures.Keys> keys;
            if (previous.isPresent() && previous.get().secrets().equals(secrets)) {
                keys = previous.get().keys();
            } else {
                keys = secrets.isEmpty() ? Optional.empty() : Optional.of(DeliverySignatures.keys(secrets));
            }
            return new Snapshot(endpoint, secrets, keys, uri);
        }
    }

    /** A loaded value; {@code reloading} is claimed by the one caller that reloads it once it has expired. */
    private record Entry<V>(V value, long loadedNanos, AtomicBoolean reloading) {
        Entry(V value, long loadedNanos) {
            this(value, loadedNanos, new AtomicBoolean());
        }
    }

    private final Endpoints endpoints;
    private final Clock clock;
    private final long ttlNanos;
    private final ConcurrentHashMap<EndpointId, Entry<Optional<Snapshot>>> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AccountId, Entry<FanOutIndex>> candidates = new ConcurrentHashMap<>();
    /** Bumped by every invalidation, so a load that raced one is not cached (it may miss the change). */
    private final AtomicLong generation = new AtomicLong();
    /** The loaders, made once: a lambda capturing the key, made per lookup, was 0.7 % of what a delivery allocated. */
    private final Function<EndpointId, Optional<Snapshot>> loadSnapshot = this::loadSnapshot;
    private final Function<AccountId, FanOutIndex> loadCandidates = this::loadCandidates;

    EndpointCache(Endpoints endpoints, Clock clock, Duration ttl) {
        this.endpoints = endpoints;
        this.clock = clock;
        this.ttlNanos = ttl.toNanos();
    }

    /** The endpoint as recently stored (see {@link #cached}); empty when it does not exist (deleted). */
    Optional<Snapshot> get(EndpointId id) {
        return cached(entries, id, loadSnapshot);
    }

    private Optional<Snapshot> loadSnapshot(EndpointId id) {
        Entry<Optional<Snapshot>> expired = entries.get(id);
        Optional<Snapshot> previous = expired == null ? Optional.empty() : expired.value();
        return endpoints.findForDelivery(id).map(e -> Snapshot.of(e,
                endpoints.activeSecrets(id, clock.instant()).stream().map(EndpointSecret::secret).toList(),
                previous));
    }

    /** The endpoint read from the store now; the cached copy is replaced. */
    Optional<Snapshot> reload(EndpointId id) {
        entries.remove(id);
        return get(id);
    }

    /**
     * The account's endpoints that may receive new events ({@link Endpoints#candidatesForFanOut}) and subscribe to
     * events of {@code type}.
     */
    List<Endpoint> fanOutCandidates(AccountId account, String type) {
        return cached(candidates, account, loadCandidates).of(type);
    }

    private FanOutIndex loadCandidates(AccountId account) {
        return new FanOutIndex(endpoints.candidatesForFanOut(account));
    }

    /**
     * The value cached under {@code key}, loaded when missing or expired. Once an entry has expired, one caller
     * reloads it while the others go on with the expired one for that moment: every attempt to a busy endpoint
     * (every publish, for the fan-out list) would otherwise read the store at the same time. An invalidated
     * entry is gone, so nobody uses it again; a load that raced an invalidation is returned but not kept.
     */
    private <K, V> V cached(ConcurrentHashMap<K, Entry<V>> map, K key, Function<K, V> load) {
        Entry<V> entry = map.get(key);
        long now = System.nanoTime();
        if (entry != null
                && (now - entry.loadedNanos() < ttlNanos || !entry.reloading().compareAndSet(false, true))) {
            return entry.value();
        }
        long before = generation.get();
        V loaded;
        try {
            loaded = load.apply(key);
        } catch (RuntimeException e) {
            if (entry != null) {
                entry.reloading().set(false);
            }
            throw e;
        }
        map.put(key, new Entry<>(loaded, now));
        if (generation.get() != before) {
            // An endpoint changed while this was read: the result may miss the change, so it is not kept.
            map.remove(key);
        }
        return loaded;
    }

    /**
     * Drops the endpoint and every account's fan-out list: changes are rare, and clearing all lists needs no
     * lookup of which account the endpoint belongs to.
     */
    void invalidate(EndpointId id) {
        generation.incrementAndGet();
        entries.remove(id);
        candidates.clear();
    }
}

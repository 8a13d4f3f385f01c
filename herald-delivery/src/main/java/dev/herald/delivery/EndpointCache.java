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
    record Snapshot(Endpoint endpoint, Optional<DeliverySignatures.Keys> keys, Optional<URI> uri) {
        static Snapshot of(Endpoint endpoint, List<SigningSecret> secrets) {
            Optional<URI> uri;
            try {
                uri = Optional.of(URI.create(endpoint.url()));
            } catch (IllegalArgumentException e) {
                uri = Optional.empty();
            }
            return new Snapshot(endpoint,
                    secrets.isEmpty() ? Optional.empty() : Optional.of(DeliverySignatures.keys(secrets)), uri);
        }
    }

    /** A loaded snapshot; {@code reloading} is claimed by the one caller that reloads it once it has expired. */
    private record Entry(Optional<Snapshot> snapshot, long loadedNanos, AtomicBoolean reloading) {
        Entry(Optional<Snapshot> snapshot, long loadedNanos) {
            this(snapshot, loadedNanos, new AtomicBoolean());
        }
    }

    private final Endpoints endpoints;
    private final Clock clock;
    private final long ttlNanos;
    private final ConcurrentHashMap<EndpointId, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AccountId, Candidates> candidates = new ConcurrentHashMap<>();
    /** Bumped by every invalidation, so a load that raced one is not cached (it may miss the change). */
    private final AtomicLong generation = new AtomicLong();

    private record Candidates(List<Endpoint> endpoints, long loadedNanos, AtomicBoolean reloading) {
        Candidates(List<Endpoint> endpoints, long loadedNanos) {
            this(endpoints, loadedNanos, new AtomicBoolean());
        }
    }

    EndpointCache(Endpoints endpoints, Clock clock, Duration ttl) {
        this.endpoints = endpoints;
        this.clock = clock;
        this.ttlNanos = ttl.toNanos();
    }

    /**
     * The endpoint as recently stored; empty when it does not exist (deleted). Once an entry has expired, one
     * caller reloads it while the others go on with the expired one for that moment: every attempt to a busy
     * endpoint would otherwise read the store at the same time. An invalidated entry is gone, so nobody uses
     * it again.
     */
    Optional<Snapshot> get(EndpointId id) {
        Entry entry = entries.get(id);
        long now = System.nanoTime();
        if (entry != null
                && (now - entry.loadedNanos() < ttlNanos || !entry.reloading().compareAndSet(false, true))) {
            return entry.snapshot();
        }
        long before = generation.get();
        Optional<Snapshot> loaded;
        try {
            loaded = endpoints.findForDelivery(id).map(e -> Snapshot.of(e,
                    endpoints.activeSecrets(id, clock.instant()).stream().map(EndpointSecret::secret).toList()));
        } catch (RuntimeException e) {
            if (entry != null) {
                entry.reloading().set(false);
            }
            throw e;
        }
        entries.put(id, new Entry(loaded, now));
        if (generation.get() != before) {
            // An endpoint changed while this one was read: the result may miss the change, so it is not kept.
            entries.remove(id);
        }
        return loaded;
    }

    /**
     * The account's endpoints that may receive new events, as {@link Endpoints#candidatesForFanOut} says; reloaded
     * by one caller at a time once expired, as in {@link #get}.
     */
    List<Endpoint> fanOutCandidates(AccountId account) {
        Candidates cached = candidates.get(account);
        long now = System.nanoTime();
        if (cached != null
                && (now - cached.loadedNanos() < ttlNanos || !cached.reloading().compareAndSet(false, true))) {
            return cached.endpoints();
        }
        long before = generation.get();
        List<Endpoint> loaded;
        try {
            loaded = List.copyOf(endpoints.candidatesForFanOut(account));
        } catch (RuntimeException e) {
            if (cached != null) {
                cached.reloading().set(false);
            }
            throw e;
        }
        candidates.put(account, new Candidates(loaded, now));
        if (generation.get() != before) {
            // An endpoint changed while this list was read: it may be stale, so it must not be reused.
            candidates.remove(account);
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

package dev.herald.delivery;

import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointSecret;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.Endpoints;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoints and their valid secrets, reused for a short while so that sending does not cost a database read
 * per delivery. {@link #invalidate} is called whenever an endpoint changes (by a user or by the engine).
 */
final class EndpointCache {
    /** What sending to an endpoint needs. */
    record Snapshot(Endpoint endpoint, List<SigningSecret> secrets) {
    }

    private record Entry(Optional<Snapshot> snapshot, long loadedNanos) {
    }

    private final Endpoints endpoints;
    private final Clock clock;
    private final long ttlNanos;
    private final ConcurrentHashMap<EndpointId, Entry> entries = new ConcurrentHashMap<>();

    EndpointCache(Endpoints endpoints, Clock clock, Duration ttl) {
        this.endpoints = endpoints;
        this.clock = clock;
        this.ttlNanos = ttl.toNanos();
    }

    /** The endpoint as recently stored; empty when it does not exist (deleted). */
    Optional<Snapshot> get(EndpointId id) {
        Entry entry = entries.get(id);
        long now = System.nanoTime();
        if (entry != null && now - entry.loadedNanos() < ttlNanos) {
            return entry.snapshot();
        }
        Optional<Snapshot> loaded = endpoints.findForDelivery(id).map(e -> new Snapshot(e,
                endpoints.activeSecrets(id, clock.instant()).stream().map(EndpointSecret::secret).toList()));
        entries.put(id, new Entry(loaded, now));
        return loaded;
    }

    void invalidate(EndpointId id) {
        entries.remove(id);
    }
}

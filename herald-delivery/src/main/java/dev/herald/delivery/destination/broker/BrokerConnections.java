package dev.herald.delivery.destination.broker;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A sender's shared connections, one per {@link ConnectionKey}. A connection no attempt used for
 * {@code idleAfter} is closed and forgotten (checked at most once a minute, on use), so a deleted endpoint or a
 * changed config does not keep a broker connection open for good.
 */
public final class BrokerConnections<C extends AutoCloseable> implements AutoCloseable {
    private static final long SWEEP_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final ConcurrentHashMap<ConnectionKey, SharedConnection<C>> connections = new ConcurrentHashMap<>();
    private final long idleAfterNanos;
    private final AtomicLong nextSweep = new AtomicLong(System.nanoTime() + SWEEP_EVERY_NANOS);

    public BrokerConnections(Duration idleAfter) {
        this.idleAfterNanos = idleAfter.toNanos();
    }

    /** The shared connection for {@code key}, made by {@code create} the first time. */
    public SharedConnection<C> get(ConnectionKey key, Function<ConnectionKey, SharedConnection<C>> create) {
        long now = System.nanoTime();
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_EVERY_NANOS)) {
            closeIdle(now);
        }
        return connections.computeIfAbsent(key, create);
    }

    /** Closes every connection unused since {@code now - idleAfter}. */
    void closeIdle(long now) {
        connections.forEach((key, shared) -> {
            if (now - shared.lastUsedNanos() > idleAfterNanos && connections.remove(key, shared)) {
                shared.close();
            }
        });
    }

    int size() {
        return connections.size();
    }

    @Override
    public void close() {
        connections.values().forEach(SharedConnection::close);
        connections.clear();
    }
}

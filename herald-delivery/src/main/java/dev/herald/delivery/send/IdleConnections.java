package dev.herald.delivery.send;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections waiting for their next request, per receiver address. The most recently used is handed out
 * first (the least likely to have been closed by the receiver meanwhile); a connection idle too long or open too long
 * (so a changed DNS answer is picked up) is closed instead of reused.
 */
final class IdleConnections implements AutoCloseable {
    /** Where a connection goes: requests to one route may share connections. */
    record Route(boolean tls, String host, int port) {
    }

    /** One route's idle connections; retired once emptied by {@link #closeExpired}, so none is added to it after. */
    private static final class Idle {
        final ArrayDeque<Http1Connection> connections = new ArrayDeque<>();
        boolean retired;
    }

    private final ConcurrentHashMap<Route, Idle> byRoute = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int max;
    private final long maxIdleNanos;
    private final long maxAgeNanos;
    private volatile boolean closed;

    /**
     * @param max          idle connections kept at most over all routes
     * @param maxIdleNanos how long a connection may wait unused
     * @param maxAgeNanos  how long a connection may be used from its opening
     */
    IdleConnections(int max, long maxIdleNanos, long maxAgeNanos) {
        this.max = max;
        this.maxIdleNanos = maxIdleNanos;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** An open connection to {@code route} that is still fresh enough to use, if one is waiting. */
    Optional<Http1Connection> take(Route route) {
        Idle idle = byRoute.get(route);
        if (idle == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        while (true) {
            Http1Connection connection;
            synchronized (idle) {
                connection = idle.connections.pollFirst();
            }
            if (connection == null) {
                return Optional.empty();
            }
            count.decrementAndGet();
            if (!expired(connection, now)) {
                return Optional.of(connection);
            }
            connection.close();
        }
    }

    /** Keeps {@code connection} for the next request to {@code route}, or closes it when enough are kept. */
    void put(Route route, Http1Connection connection) {
        if (closed || count.incrementAndGet() > max) {
            count.decrementAndGet();
            connection.close();
            return;
        }
        connection.markIdle();
        while (true) {
            Idle idle = byRoute.computeIfAbsent(route, r -> new Idle());
            synchronized (idle) {
                if (!idle.retired) {
                    idle.connections.offerFirst(connection);
                    break;
                }
            }
        }
        if (closed) {
            closeExpired(Long.MIN_VALUE); // closed meanwhile: this connection must not outlive the pool
        }
    }

    /** Closes the connections that waited or lived too long, and forgets routes with none left. */
    void closeExpired() {
        closeExpired(System.nanoTime());
    }

    /** {@code Long.MIN_VALUE} closes every idle connection. */
    private void closeExpired(long now) {
        List<Http1Connection> expired = new ArrayList<>();
        byRoute.forEach((route, idle) -> {
            synchronized (idle) {
                // the least recently used wait at the end
                for (Http1Connection last = idle.connections.peekLast();
                     last != null && (now == Long.MIN_VALUE || expired(last, now));
                     last = idle.connections.peekLast()) {
                    expired.add(idle.connections.pollLast());
                }
                if (idle.connections.isEmpty()) {
                    idle.retired = true;
                    byRoute.remove(route, idle);
                }
            }
        });
        count.addAndGet(-expired.size());
        expired.forEach(Http1Connection::close);
    }

    private boolean expired(Http1Connection connection, long now) {
        return now - connection.idleSinceNanos() > maxIdleNanos || now - connection.openedNanos() > maxAgeNanos;
    }

    @Override
    public void close() {
        closed = true;
        closeExpired(Long.MIN_VALUE);
    }
}

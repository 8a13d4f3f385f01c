package dev.herald.delivery.destination.broker;

import dev.herald.core.delivery.ErrorClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * One broker connection shared by every endpoint with the same address and credentials: opened on first use,
 * reused while healthy, and reopened after it breaks, with exponential backoff between failed opens. While
 * backing off, attempts fail at once with the last failure's class (a wrong password stays {@code auth}), so a
 * burst of due deliveries does not dial a dead broker once each.
 */
public final class SharedConnection<C extends AutoCloseable> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedConnection.class);

    /** Opens a connection; throws {@link BrokerException} for classified failures. */
    @FunctionalInterface
    public interface Opener<C> {
        C open() throws Exception;
    }

    private final String name;
    private final Opener<C> opener;
    private final Predicate<C> healthy;
    private final BrokerFailures failures;
    private final BrokerSettings settings;
    /** Held while opening, so concurrent attempts wait for one connect instead of each starting their own. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile C current;
    private volatile long lastUsedNanos = System.nanoTime();
    private int failedOpens;
    private long retryAtNanos;
    private BrokerException lastFailure;
    private volatile boolean closed;

    public SharedConnection(String name, Opener<C> opener, Predicate<C> healthy, BrokerFailures failures,
                            BrokerSettings settings) {
        this.name = name;
        this.opener = opener;
        this.healthy = healthy;
        this.failures = failures;
        this.settings = settings;
    }

    /** The open connection, opened now when there is none or it broke. */
    public C get() throws BrokerException {
        lastUsedNanos = System.nanoTime();
        C c = current;
        if (c != null && healthy.test(c)) {
            return c;
        }
        try {
            if (!lock.tryLock(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BrokerException(ErrorClass.TIMEOUT, "timeout waiting for the connection to " + name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(ErrorClass.CONNECT, "interrupted while connecting to " + name);
        }
        try {
            if (closed) {
                throw new BrokerException(ErrorClass.CONNECT, "shutting down");
            }
            c = current;
            if (c != null && healthy.test(c)) {
                return c;
            }
            if (c != null) {
                discard(c);
            }
            long now = System.nanoTime();
            if (lastFailure != null && now - retryAtNanos < 0) {
                throw new BrokerException(lastFailure.errorClass(), lastFailure.getMessage() + " (reconnecting in "
                        + TimeUnit.NANOSECONDS.toMillis(retryAtNanos - now) + " ms)");
            }
            try {
                C opened = opener.open();
                if (closed) {
                    // Closed while this connect was under way: nobody else will close what it opened.
                    closeQuietly(opened);
                    throw new BrokerException(ErrorClass.CONNECT, "shutting down");
                }
                current = opened;
                if (failedOpens > 0) {
                    LOG.info("SharedConnection: reconnected to {} after {} failed attempts", name, failedOpens);
                }
                failedOpens = 0;
                lastFailure = null;
                return opened;
            } catch (Exception e) {
                BrokerException failure = failures.classify(e);
                failedOpens++;
                lastFailure = failure;
                retryAtNanos = now + backoff(failedOpens).toNanos();
                LOG.warn("SharedConnection: cannot connect to {} ({}: {}); next try in {} ms", name,
                        failure.errorClass().wireName(), failure.getMessage(), backoff(failedOpens).toMillis());
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    /** When an attempt last asked for this connection ({@link System#nanoTime()}). */
    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** Drops {@code broken} (when still current) so the next {@link #get} reconnects. */
    public void discard(C broken) {
        if (current == broken) {
            current = null;
        }
        closeQuietly(broken);
    }

    /** The connection when one is open; for senders that keep per-connection state (channels). */
    public Optional<C> ifOpen() {
        return Optional.ofNullable(current);
    }

    private Duration backoff(int failed) {
        long first = settings.backoffFirst().toMillis();
        long millis = first << Math.min(failed - 1, 20);
        return Duration.ofMillis(Math.min(millis, settings.backoffMax().toMillis()));
    }

    private void closeQuietly(C connection) {
        try {
            connection.close();
        } catch (Exception e) {
            // Already broken or closing: nothing more to release, and the failure was recorded when it broke.
            LOG.debug("SharedConnection: closing a broken connection to {} failed: {}", name, e.toString());
        }
    }

    /**
     * Closes the open connection. It does not wait for a connect under way (that may take the whole timeout
     * against a broker that never answers); that connect closes what it opened when it sees {@code closed}.
     */
    @Override
    public void close() {
        closed = true;
        C c = current;
        current = null;
        if (c != null) {
            closeQuietly(c);
        }
    }
}

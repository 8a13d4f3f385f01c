package dev.herald.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.store.jdbc.SqlWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A circuit on the connection pool. While PostgreSQL is reachable it only lends the pool's connections. Once a
 * connect has failed, or a lent connection broke (a connection-class SQLState: 08xxx, or 57Pxx when the server shuts
 * down), waiting callers would each wait the pool's whole connection timeout (5 s) for a database that is probably
 * down, and health probes would time out: so the circuit opens, every caller is refused at once (the store answers
 * 503 {@code store_unavailable}), and one background check asks the pool for a connection, at once and then every
 * {@link #CHECK_INTERVAL}, until one works, which closes the circuit again. One broken connection of a healthy
 * server so costs the time of one successful check.
 */
final class ConnectCircuit implements AutoCloseable {
    /** Pause between background checks while open; each check itself may wait the pool's connection timeout. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    /** The SQLState of "unable to connect", which the store reports as unavailable. */
    private static final String CONNECTION_FAILURE = "08001";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectCircuit.class);

    private final HikariDataSource pool;
    private final Duration checkInterval;
    private final AtomicBoolean open = new AtomicBoolean();
    private final ScheduledExecutorService checker;

    ConnectCircuit(HikariDataSource pool, Duration checkInterval) {
        this.pool = pool;
        this.checkInterval = checkInterval;
        this.checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "herald-store-circuit");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code work} on a lent connection; a connection-level failure of the work opens the circuit. */
    <T> T withConnection(SqlWork<T> work) throws SQLException {
        try (var c = connect()) {
            return work.run(c);
        } catch (SQLException e) {
            if (isBrokenConnection(e)) {
                trip(e);
            }
            throw e;
        }
    }

    /** A connection from the pool, or an immediate failure while the database is known to be unreachable. */
    private Connection connect() throws SQLException {
        if (open.get()) {
            throw new SQLTransientConnectionException("PostgreSQL unreachable: the store's circuit is open until a "
                    + "background check connects again", CONNECTION_FAILURE);
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (isConnectFailure(e)) {
                trip(e);
            }
            throw e;
        }
    }

    /**
     * The pool reports a timeout both when the database refuses connections and when every connection is merely
     * busy; only the first carries the failed connect as its cause, and only it says the database is down.
     */
    private static boolean isConnectFailure(SQLException e) {
        return e instanceof SQLTransientConnectionException && e.getCause() != null;
    }

    private static boolean isBrokenConnection(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private void trip(SQLException cause) {
        if (open.compareAndSet(false, true)) {
            // INFO: the store logs the outage itself, once at WARN when it starts and once when it ends
            LOG.info("ConnectCircuit: PostgreSQL unreachable ({}); answering store_unavailable at once and checking "
                    + "again every {} ms in the background", cause.getMessage(), checkInterval.toMillis());
            scheduleCheck(Duration.ZERO);
        }
    }

    private void scheduleCheck(Duration delay) {
        try {
            checker.schedule(this::check, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the store is closing; nobody will ask for a connection any more
        }
    }

    private void check() {
        try (Connection c = pool.getConnection()) {
            if (c.isValid((int) Math.max(1, checkInterval.toSeconds()))) {
                open.set(false);
                LOG.info("ConnectCircuit: PostgreSQL reachable again; circuit closed");
                return;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("ConnectCircuit: PostgreSQL still unreachable: {}", e.getMessage());
        }
        scheduleCheck(checkInterval);
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}

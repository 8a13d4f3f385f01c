package dev.herald.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.store.jdbc.ConnectionSource;
import dev.herald.store.jdbc.SqlWork;

import java.sql.SQLException;

/**
 * PostgreSQL handles concurrent writers itself, so readers and writers share one HikariCP pool, lent through a
 * {@link ConnectCircuit} so that callers fail fast while the database is down.
 */
final class PostgresConnections implements ConnectionSource {
    private final HikariDataSource pool;
    private final ConnectCircuit circuit;

    PostgresConnections(HikariDataSource pool) {
        this.pool = pool;
        this.circuit = new ConnectCircuit(pool, ConnectCircuit.CHECK_INTERVAL);
    }

    @Override
    public <T> T withReader(SqlWork<T> work) throws SQLException {
        return withConnection(work);
    }

    @Override
    public <T> T inWriteTransaction(SqlWork<T> work) throws SQLException {
        return withConnection(c -> ConnectionSource.inTransaction(c, work));
    }

    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        return circuit.withConnection(work);
    }

    @Override
    public void close() {
        circuit.close();
        pool.close();
    }
}

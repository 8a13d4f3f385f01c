package dev.herald.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.store.jdbc.ConnectionSource;
import dev.herald.store.jdbc.SqlWork;
import dev.herald.store.jdbc.StatementCounter;

import java.sql.SQLException;
import java.time.Duration;

/**
 * PostgreSQL handles concurrent writers itself, so readers and writers share one HikariCP pool, lent through a
 * {@link ConnectCircuit} so that callers fail fast while the database is down. A {@link GrowthAnalyzer} keeps the
 * queue tables' statistics up with their growth.
 */
final class PostgresConnections implements ConnectionSource {
    private final HikariDataSource pool;
    private final ConnectCircuit circuit;
    private final StatementCounter statements;
    private final GrowthAnalyzer analyzer;

    /** {@code analyzeEvery}: how often the tables' growth is looked at ({@link GrowthAnalyzer#INTERVAL}). */
    PostgresConnections(HikariDataSource pool, StatementCounter statements, Duration analyzeEvery) {
        this.pool = pool;
        this.circuit = new ConnectCircuit(pool, ConnectCircuit.CHECK_INTERVAL);
        this.statements = statements;
        this.analyzer = GrowthAnalyzer.start(circuit, analyzeEvery);
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
        return circuit.withConnection(c -> work.run(statements.counting(c)));
    }

    @Override
    public void close() {
        analyzer.close();
        circuit.close();
        pool.close();
    }
}

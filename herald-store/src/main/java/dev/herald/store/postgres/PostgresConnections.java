package dev.herald.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.store.jdbc.ConnectionSource;
import dev.herald.store.jdbc.SqlWork;

import java.sql.SQLException;

/** PostgreSQL handles concurrent writers itself, so readers and writers share one HikariCP pool. */
final class PostgresConnections implements ConnectionSource {
    private final HikariDataSource pool;

    PostgresConnections(HikariDataSource pool) {
        this.pool = pool;
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
        try (var c = pool.getConnection()) {
            return work.run(c);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}

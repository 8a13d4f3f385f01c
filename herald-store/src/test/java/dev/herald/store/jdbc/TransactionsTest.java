package dev.herald.store.jdbc;

import dev.herald.store.StoreException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionsTest {
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final Transactions tx = new Transactions(new OneConnection());

    @Test
    void aWriteChosenAsDeadlockVictimRunsAgainAndCommitsOnce() {
        var tries = new AtomicInteger();
        String result = tx.write("pause endpoint", c -> {
            if (tries.incrementAndGet() < 3) {
                throw new SQLException("deadlock detected", "40P01");
            }
            return "paused";
        });
        assertThat(result).isEqualTo("paused");
        assertThat(tries).hasValue(3);
        assertThat(rollbacks).hasValue(2);
        assertThat(commits).hasValue(1);
    }

    @Test
    void aSerializationFailureWrappedByTheDriverIsAlsoRetried() {
        var tries = new AtomicInteger();
        int result = tx.write("record attempts", c -> {
            if (tries.incrementAndGet() == 1) {
                throw new SQLException("batch failed", "XX000", new SQLException("could not serialize", "40001"));
            }
            return 7;
        });
        assertThat(result).isEqualTo(7);
    }

    @Test
    void aConflictThatKeepsHappeningFailsAfterTheLastTry() {
        var tries = new AtomicInteger();
        assertThatThrownBy(() -> tx.write("pause endpoint", c -> {
            tries.incrementAndGet();
            throw new SQLException("deadlock detected", "40P01");
        })).isInstanceOf(StoreException.class).hasMessageContaining("cannot pause endpoint");
        assertThat(tries).hasValue(Transactions.CONFLICT_TRIES);
        assertThat(commits).hasValue(0);
    }

    @Test
    void otherErrorsAreNotRetried() {
        var tries = new AtomicInteger();
        assertThatThrownBy(() -> tx.write("insert", c -> {
            tries.incrementAndGet();
            throw new SQLException("duplicate key", "23505");
        })).isInstanceOf(StoreException.class);
        assertThat(tries).hasValue(1);
    }

    @Test
    void readsAreNotRetried() {
        var tries = new AtomicInteger();
        assertThatThrownBy(() -> tx.read("find", c -> {
            tries.incrementAndGet();
            throw new SQLException("deadlock detected", "40P01");
        })).isInstanceOf(StoreException.class);
        assertThat(tries).hasValue(1);
    }

    /** A connection that only counts commits and rollbacks. */
    private final class OneConnection implements ConnectionSource {
        private final Connection connection = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAutoCommit" -> false;
                    case "commit" -> {
                        commits.incrementAndGet();
                        yield null;
                    }
                    case "rollback" -> {
                        rollbacks.incrementAndGet();
                        yield null;
                    }
                    default -> null;
                });

        @Override
        public <T> T withReader(SqlWork<T> work) throws SQLException {
            return work.run(connection);
        }

        @Override
        public <T> T inWriteTransaction(SqlWork<T> work) throws SQLException {
            return ConnectionSource.inTransaction(connection, work);
        }

        @Override
        public void close() {
        }
    }
}

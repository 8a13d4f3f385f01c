package dev.herald.store.jdbc;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the store's trips to the database: each statement execution (a JDBC batch counts once, as it goes in one
 * trip), commit, rollback and savepoint, by {@link Kind}; published as {@code herald_store_statements_total{store,
 * kind}}. Counting is a {@link LongAdder} increment per execution, read only when metrics are scraped.
 */
public final class StatementCounter {
    /** What went to the database. */
    public enum Kind {
        QUERY, UPDATE, EXECUTE, BATCH, COMMIT, ROLLBACK, SAVEPOINT;

        /** The label value: the lower-case name. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Kind[] KINDS = Kind.values();

    private final LongAdder[] counts = new LongAdder[KINDS.length];

    private StatementCounter() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public static StatementCounter create() {
        return new StatementCounter();
    }

    public void count(Kind kind) {
        counts[kind.ordinal()].increment();
    }

    /** How many of {@code kind} were counted so far. */
    public long total(Kind kind) {
        return counts[kind.ordinal()].sum();
    }

    /** Publishes the counts as {@code herald.store.statements} tagged with {@code store} (sqlite, postgres). */
    public void bindTo(MeterRegistry registry, String store) {
        for (Kind kind : KINDS) {
            FunctionCounter.builder("herald.store.statements", counts[kind.ordinal()], LongAdder::sum)
                    .description("Statements the store sent to the database (a JDBC batch once), commits, rollbacks "
                            + "and savepoints")
                    .tag("store", store)
                    .tag("kind", kind.label())
                    .register(registry);
        }
    }

    /**
     * Counts the JDBC call named {@code method} if it sends something to the database: {@code execute*} on a
     * statement, {@code commit}, {@code rollback}, {@code setSavepoint} and {@code releaseSavepoint} on a
     * connection. Other calls (binding parameters, reading results) are not counted.
     */
    public void countCall(String method) {
        switch (method) {
            case "executeQuery" -> count(Kind.QUERY);
            case "executeUpdate", "executeLargeUpdate" -> count(Kind.UPDATE);
            case "execute" -> count(Kind.EXECUTE);
            case "executeBatch", "executeLargeBatch" -> count(Kind.BATCH);
            case "commit" -> count(Kind.COMMIT);
            case "rollback" -> count(Kind.ROLLBACK);
            case "setSavepoint", "releaseSavepoint" -> count(Kind.SAVEPOINT);
            default -> {
            }
        }
    }

    /**
     * {@code connection} with every statement it creates counted. For a driver whose connections are not wrapped
     * already (SQLite's statement cache counts in its own wrapper). The wrappers delegate call by call (no
     * reflection, no argument arrays): an object per connection lent and per statement prepared.
     */
    public Connection counting(Connection connection) {
        return new CountingConnection(connection);
    }

    /** {@code statement} with its executions counted. */
    public Statement countingStatement(Statement statement) {
        if (statement instanceof CallableStatement callable) {
            return countingCall(callable);
        }
        if (statement instanceof PreparedStatement prepared) {
            return countingPrepared(prepared);
        }
        return new DelegatingStatement(statement) {
            @Override
            protected void executing(Kind kind) {
                count(kind);
            }
        };
    }

    /** {@code statement} with its executions counted. */
    public PreparedStatement countingPrepared(PreparedStatement statement) {
        return new DelegatingPreparedStatement(statement) {
            @Override
            protected void executing(Kind kind) {
                count(kind);
            }
        };
    }

    /**
     * A callable statement (the store prepares none) through a reflective proxy, as writing out
     * {@link CallableStatement}'s two hundred methods is not worth it.
     */
    private CallableStatement countingCall(CallableStatement statement) {
        return (CallableStatement) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(),
                new Class<?>[]{CallableStatement.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.startsWith("execute")) {
                        countCall(name);
                    } else if (name.equals("equals")) {
                        return proxy == args[0];
                    } else if (name.equals("hashCode")) {
                        return System.identityHashCode(proxy);
                    }
                    try {
                        return method.invoke(statement, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private final class CountingConnection extends DelegatingConnection {
        CountingConnection(Connection target) {
            super(target);
        }

        @Override
        protected void executing(Kind kind) {
            count(kind);
        }

        @Override
        protected Statement created(Statement statement) {
            return countingStatement(statement);
        }

        @Override
        protected PreparedStatement prepared(PreparedStatement statement) {
            return countingPrepared(statement);
        }

        @Override
        protected CallableStatement callable(CallableStatement statement) {
            return countingCall(statement);
        }
    }
}

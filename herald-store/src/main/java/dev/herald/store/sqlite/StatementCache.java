package dev.herald.store.sqlite;

import dev.herald.store.jdbc.StatementCounter;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a connection's prepared statements for reuse. sqlite-jdbc compiles the SQL text again on every
 * {@code prepareStatement} call, which took 8 % of Herald's CPU under load; PostgreSQL's driver caches on its
 * own. Callers keep writing {@code try (var ps = c.prepareStatement(sql))}: closing a cached statement resets
 * it (ending its read of the database) and clears its parameters instead of discarding it.
 *
 * <p>A connection is used by one thread at a time (the writer behind its lock, a reader taken from the pool),
 * so nothing here is synchronized. A statement asked for while its cached copy is still open (the same SQL
 * nested in one unit of work) is prepared afresh and really closed.
 */
final class StatementCache {
    /** Distinct SQL texts kept per connection; the least recently used beyond this is closed. */
    static final int CAPACITY = 128;

    private StatementCache() {
    }

    static Connection wrap(Connection connection) {
        return wrap(connection, StatementCounter.create());
    }

    /** As above; executions, commits, rollbacks and savepoints through the connection are counted in {@code counter}. */
    static Connection wrap(Connection connection, StatementCounter counter) {
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[]{Connection.class}, new CachingConnection(connection, counter));
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static final class CachingConnection implements InvocationHandler {
        private final Connection target;
        private final Map<String, Cached> statements = new LinkedHashMap<>(32, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                if (size() > CAPACITY) {
                    eldest.getValue().evict();
                    return true;
                }
                return false;
            }
        };

        private final StatementCounter counter;

        CachingConnection(Connection target, StatementCounter counter) {
            this.target = target;
            this.counter = counter;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("prepareStatement") && args.length == 1) {
                return prepare((String) args[0]);
            }
            return switch (method.getName()) {
                case "close" -> {
                    closeStatements();
                    yield call(target, method, args);
                }
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "cached statements over " + target;
                case "commit", "rollback", "setSavepoint", "releaseSavepoint" -> {
                    counter.countCall(method.getName());
                    yield call(target, method, args);
                }
                case "createStatement" -> counted(call(target, method, args));
                default -> call(target, method, args);
            };
        }

        private PreparedStatement prepare(String sql) throws SQLException {
            Cached cached = statements.get(sql);
            if (cached == null) {
                cached = new Cached(this, sql, target.prepareStatement(sql));
                statements.put(sql, cached);
            } else if (cached.inUse) {
                return (PreparedStatement) counted(target.prepareStatement(sql));
            }
            cached.inUse = true;
            return cached.proxy;
        }

        /** A statement outside the cache, its executions counted. */
        private Object counted(Object statement) {
            return counter.countingStatement((Statement) statement);
        }

        void forget(Cached cached) {
            statements.remove(cached.sql, cached);
        }

        private void closeStatements() {
            for (Cached cached : statements.values()) {
                cached.evict();
            }
            statements.clear();
        }
    }

    /** One cached statement; its proxy's close() hands it back. */
    private static final class Cached implements InvocationHandler {
        final CachingConnection owner;
        final String sql;
        final PreparedStatement target;
        final PreparedStatement proxy;
        boolean inUse;
        boolean evicted;

        Cached(CachingConnection owner, String sql, PreparedStatement target) {
            this.owner = owner;
            this.sql = sql;
            this.target = target;
            this.proxy = (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                    new Class<?>[]{PreparedStatement.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            return switch (method.getName()) {
                case "close" -> {
                    release();
                    yield null;
                }
                case "isClosed" -> !inUse || target.isClosed();
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "cached " + target;
                default -> {
                    if (!inUse) {
                        throw new SQLException("statement is closed");
                    }
                    String name = method.getName();
                    if (name.startsWith("execute")) {
                        owner.counter.countCall(name);
                    }
                    yield call(target, method, args);
                }
            };
        }

        /** Resets the statement so it holds no read snapshot, and forgets its parameters and batch. */
        private void release() {
            if (!inUse) {
                return;
            }
            inUse = false;
            try {
                ((CoreStatement) target).pointer.safeRunInt(DB::reset);
                target.clearParameters();
                target.clearBatch();
            } catch (SQLException | RuntimeException e) {
                owner.forget(this);
                evicted = true;
            }
            if (evicted) {
                closeQuietly();
            }
        }

        void evict() {
            evicted = true;
            if (!inUse) {
                closeQuietly();
            }
        }

        private void closeQuietly() {
            try {
                target.close();
            } catch (SQLException e) {
                // The statement is unusable either way; closing the connection frees it at the latest.
            }
        }
    }
}

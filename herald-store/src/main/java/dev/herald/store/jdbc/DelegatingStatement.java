package dev.herald.store.jdbc;

import dev.herald.store.jdbc.StatementCounter.Kind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A {@link Statement} that passes every call to {@code target}, written out (generated from the interface) rather
 * than a reflective {@link java.lang.reflect.Proxy}, which allocated an argument array, boxed primitives and went
 * through {@code Method.invoke} on every call, binding a parameter included. Subclasses hear of each execution
 * through {@link #executing} and may refuse calls in {@link #open}.
 */
public abstract class DelegatingStatement implements Statement {
    private final Statement target;

    protected DelegatingStatement(Statement target) {
        this.target = target;
    }

    /** Called before each execution (a batch once); nothing by default. */
    protected void executing(Kind kind) throws SQLException {
    }

    /** The statement calls go to; {@code target} by default. */
    protected Statement open() throws SQLException {
        return target;
    }

    @Override
    public void addBatch(String a0) throws SQLException {
        open().addBatch(a0);
    }

    @Override
    public void cancel() throws SQLException {
        open().cancel();
    }

    @Override
    public void clearBatch() throws SQLException {
        open().clearBatch();
    }

    @Override
    public void clearWarnings() throws SQLException {
        open().clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        open().close();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        open().closeOnCompletion();
    }

    @Override
    public boolean execute(String a0, int[] a1) throws SQLException {
        executing(Kind.EXECUTE);
        return open().execute(a0, a1);
    }

    @Override
    public boolean execute(String a0, String[] a1) throws SQLException {
        executing(Kind.EXECUTE);
        return open().execute(a0, a1);
    }

    @Override
    public boolean execute(String a0, int a1) throws SQLException {
        executing(Kind.EXECUTE);
        return open().execute(a0, a1);
    }

    @Override
    public boolean execute(String a0) throws SQLException {
        executing(Kind.EXECUTE);
        return open().execute(a0);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        executing(Kind.BATCH);
        return open().executeBatch();
    }

    @Override
    public ResultSet executeQuery(String a0) throws SQLException {
        executing(Kind.QUERY);
        return open().executeQuery(a0);
    }

    @Override
    public int executeUpdate(String a0, int[] a1) throws SQLException {
        executing(Kind.UPDATE);
        return open().executeUpdate(a0, a1);
    }

    @Override
    public int executeUpdate(String a0, String[] a1) throws SQLException {
        executing(Kind.UPDATE);
        return open().executeUpdate(a0, a1);
    }

    @Override
    public int executeUpdate(String a0, int a1) throws SQLException {
        executing(Kind.UPDATE);
        return open().executeUpdate(a0, a1);
    }

    @Override
    public int executeUpdate(String a0) throws SQLException {
        executing(Kind.UPDATE);
        return open().executeUpdate(a0);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return open().getConnection();
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return open().getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return open().getFetchSize();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return open().getGeneratedKeys();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return open().getMaxFieldSize();
    }

    @Override
    public int getMaxRows() throws SQLException {
        return open().getMaxRows();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return open().getMoreResults();
    }

    @Override
    public boolean getMoreResults(int a0) throws SQLException {
        return open().getMoreResults(a0);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return open().getQueryTimeout();
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return open().getResultSet();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return open().getResultSetConcurrency();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return open().getResultSetHoldability();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return open().getResultSetType();
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return open().getUpdateCount();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return open().getWarnings();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return open().isCloseOnCompletion();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return open().isClosed();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return open().isPoolable();
    }

    @Override
    public boolean isWrapperFor(Class<?> a0) throws SQLException {
        return open().isWrapperFor(a0);
    }

    @Override
    public void setCursorName(String a0) throws SQLException {
        open().setCursorName(a0);
    }

    @Override
    public void setEscapeProcessing(boolean a0) throws SQLException {
        open().setEscapeProcessing(a0);
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        open().setFetchDirection(a0);
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        open().setFetchSize(a0);
    }

    @Override
    public void setMaxFieldSize(int a0) throws SQLException {
        open().setMaxFieldSize(a0);
    }

    @Override
    public void setMaxRows(int a0) throws SQLException {
        open().setMaxRows(a0);
    }

    @Override
    public void setPoolable(boolean a0) throws SQLException {
        open().setPoolable(a0);
    }

    @Override
    public void setQueryTimeout(int a0) throws SQLException {
        open().setQueryTimeout(a0);
    }

    @Override
    public <T> T unwrap(Class<T> a0) throws SQLException {
        return open().unwrap(a0);
    }
}

package dev.herald.store.jdbc;

import dev.herald.store.jdbc.StatementCounter.Kind;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;

/**
 * A {@link Connection} that passes every call to {@code target}, written out (generated from the interface) rather
 * than a reflective {@link java.lang.reflect.Proxy}, which allocated an argument array, boxed primitives and went
 * through {@code Method.invoke} on every JDBC call. Subclasses hear of what goes to the database through
 * {@link #executing} (commit, rollback, savepoints) and wrap the statements it creates through {@link #created},
 * {@link #prepared} and {@link #callable}.
 */
public abstract class DelegatingConnection implements Connection {
    protected final Connection target;

    protected DelegatingConnection(Connection target) {
        this.target = target;
    }

    /** Called before a call that goes to the database; nothing by default. */
    protected void executing(Kind kind) {
    }

    /** The statement {@code createStatement} returns; {@code statement} by default. */
    protected Statement created(Statement statement) {
        return statement;
    }

    /** The statement {@code prepareStatement} returns; {@code statement} by default. */
    protected PreparedStatement prepared(PreparedStatement statement) throws SQLException {
        return statement;
    }

    /** The statement {@code prepareCall} returns; {@code statement} by default. */
    protected CallableStatement callable(CallableStatement statement) {
        return statement;
    }

    @Override
    public void abort(java.util.concurrent.Executor a0) throws SQLException {
        target.abort(a0);
    }

    @Override
    public void clearWarnings() throws SQLException {
        target.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        target.close();
    }

    @Override
    public void commit() throws SQLException {
        executing(Kind.COMMIT);
        target.commit();
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        return target.createArrayOf(a0, a1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        return target.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        return target.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return target.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return target.createSQLXML();
    }

    @Override
    public Statement createStatement() throws SQLException {
        return created(target.createStatement());
    }

    @Override
    public Statement createStatement(int a0, int a1, int a2) throws SQLException {
        return created(target.createStatement(a0, a1, a2));
    }

    @Override
    public Statement createStatement(int a0, int a1) throws SQLException {
        return created(target.createStatement(a0, a1));
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        return target.createStruct(a0, a1);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return target.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        return target.getCatalog();
    }

    @Override
    public java.util.Properties getClientInfo() throws SQLException {
        return target.getClientInfo();
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        return target.getClientInfo(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return target.getHoldability();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return target.getMetaData();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return target.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        return target.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return target.getTransactionIsolation();
    }

    @Override
    public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
        return target.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return target.getWarnings();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return target.isClosed();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return target.isReadOnly();
    }

    @Override
    public boolean isValid(int a0) throws SQLException {
        return target.isValid(a0);
    }

    @Override
    public boolean isWrapperFor(Class<?> a0) throws SQLException {
        return target.isWrapperFor(a0);
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        return target.nativeSQL(a0);
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
        return callable(target.prepareCall(a0, a1, a2, a3));
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
        return callable(target.prepareCall(a0, a1, a2));
    }

    @Override
    public CallableStatement prepareCall(String a0) throws SQLException {
        return callable(target.prepareCall(a0));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
        return prepared(target.prepareStatement(a0, a1));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
        return prepared(target.prepareStatement(a0, a1));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
        return prepared(target.prepareStatement(a0, a1, a2, a3));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
        return prepared(target.prepareStatement(a0, a1, a2));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
        return prepared(target.prepareStatement(a0, a1));
    }

    @Override
    public PreparedStatement prepareStatement(String a0) throws SQLException {
        return prepared(target.prepareStatement(a0));
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        executing(Kind.SAVEPOINT);
        target.releaseSavepoint(a0);
    }

    @Override
    public void rollback() throws SQLException {
        executing(Kind.ROLLBACK);
        target.rollback();
    }

    @Override
    public void rollback(Savepoint a0) throws SQLException {
        executing(Kind.ROLLBACK);
        target.rollback(a0);
    }

    @Override
    public void setAutoCommit(boolean a0) throws SQLException {
        target.setAutoCommit(a0);
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        target.setCatalog(a0);
    }

    @Override
    public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
        target.setClientInfo(a0, a1);
    }

    @Override
    public void setClientInfo(java.util.Properties a0) throws SQLClientInfoException {
        target.setClientInfo(a0);
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        target.setHoldability(a0);
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor a0, int a1) throws SQLException {
        target.setNetworkTimeout(a0, a1);
    }

    @Override
    public void setReadOnly(boolean a0) throws SQLException {
        target.setReadOnly(a0);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        executing(Kind.SAVEPOINT);
        return target.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String a0) throws SQLException {
        executing(Kind.SAVEPOINT);
        return target.setSavepoint(a0);
    }

    @Override
    public void setSchema(String a0) throws SQLException {
        target.setSchema(a0);
    }

    @Override
    public void setTransactionIsolation(int a0) throws SQLException {
        target.setTransactionIsolation(a0);
    }

    @Override
    public void setTypeMap(java.util.Map<String, Class<?>> a0) throws SQLException {
        target.setTypeMap(a0);
    }

    @Override
    public <T> T unwrap(Class<T> a0) throws SQLException {
        return target.unwrap(a0);
    }
}

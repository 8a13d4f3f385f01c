package dev.herald.store.jdbc;

import dev.herald.store.jdbc.StatementCounter.Kind;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;

/**
 * A {@link PreparedStatement} that passes every call to {@code target}, written out (generated from the interface)
 * rather than a reflective {@link java.lang.reflect.Proxy}, which allocated an argument array, boxed primitives and went
 * through {@code Method.invoke} on every call, binding a parameter included. Subclasses hear of each execution
 * through {@link #executing} and may refuse calls in {@link #open}.
 */
public abstract class DelegatingPreparedStatement implements PreparedStatement {
    protected final PreparedStatement target;

    protected DelegatingPreparedStatement(PreparedStatement target) {
        this.target = target;
    }

    /** Called before each execution (a batch once); nothing by default. */
    protected void executing(Kind kind) throws SQLException {
    }

    /** The statement calls go to; {@code target} by default. */
    protected PreparedStatement open() throws SQLException {
        return target;
    }

    @Override
    public void addBatch() throws SQLException {
        open().addBatch();
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
    public void clearParameters() throws SQLException {
        open().clearParameters();
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
    public boolean execute() throws SQLException {
        executing(Kind.EXECUTE);
        return open().execute();
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
    public ResultSet executeQuery() throws SQLException {
        executing(Kind.QUERY);
        return open().executeQuery();
    }

    @Override
    public ResultSet executeQuery(String a0) throws SQLException {
        executing(Kind.QUERY);
        return open().executeQuery(a0);
    }

    @Override
    public int executeUpdate() throws SQLException {
        executing(Kind.UPDATE);
        return open().executeUpdate();
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
    public ResultSetMetaData getMetaData() throws SQLException {
        return open().getMetaData();
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
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return open().getParameterMetaData();
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
    public void setArray(int a0, Array a1) throws SQLException {
        open().setArray(a0, a1);
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
        open().setAsciiStream(a0, a1, a2);
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
        open().setAsciiStream(a0, a1, a2);
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1) throws SQLException {
        open().setAsciiStream(a0, a1);
    }

    @Override
    public void setBigDecimal(int a0, java.math.BigDecimal a1) throws SQLException {
        open().setBigDecimal(a0, a1);
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
        open().setBinaryStream(a0, a1, a2);
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
        open().setBinaryStream(a0, a1, a2);
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1) throws SQLException {
        open().setBinaryStream(a0, a1);
    }

    @Override
    public void setBlob(int a0, java.io.InputStream a1, long a2) throws SQLException {
        open().setBlob(a0, a1, a2);
    }

    @Override
    public void setBlob(int a0, java.io.InputStream a1) throws SQLException {
        open().setBlob(a0, a1);
    }

    @Override
    public void setBlob(int a0, Blob a1) throws SQLException {
        open().setBlob(a0, a1);
    }

    @Override
    public void setBoolean(int a0, boolean a1) throws SQLException {
        open().setBoolean(a0, a1);
    }

    @Override
    public void setByte(int a0, byte a1) throws SQLException {
        open().setByte(a0, a1);
    }

    @Override
    public void setBytes(int a0, byte[] a1) throws SQLException {
        open().setBytes(a0, a1);
    }

    @Override
    public void setCharacterStream(int a0, java.io.Reader a1, int a2) throws SQLException {
        open().setCharacterStream(a0, a1, a2);
    }

    @Override
    public void setCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
        open().setCharacterStream(a0, a1, a2);
    }

    @Override
    public void setCharacterStream(int a0, java.io.Reader a1) throws SQLException {
        open().setCharacterStream(a0, a1);
    }

    @Override
    public void setClob(int a0, java.io.Reader a1, long a2) throws SQLException {
        open().setClob(a0, a1, a2);
    }

    @Override
    public void setClob(int a0, java.io.Reader a1) throws SQLException {
        open().setClob(a0, a1);
    }

    @Override
    public void setClob(int a0, Clob a1) throws SQLException {
        open().setClob(a0, a1);
    }

    @Override
    public void setCursorName(String a0) throws SQLException {
        open().setCursorName(a0);
    }

    @Override
    public void setDate(int a0, Date a1, java.util.Calendar a2) throws SQLException {
        open().setDate(a0, a1, a2);
    }

    @Override
    public void setDate(int a0, Date a1) throws SQLException {
        open().setDate(a0, a1);
    }

    @Override
    public void setDouble(int a0, double a1) throws SQLException {
        open().setDouble(a0, a1);
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
    public void setFloat(int a0, float a1) throws SQLException {
        open().setFloat(a0, a1);
    }

    @Override
    public void setInt(int a0, int a1) throws SQLException {
        open().setInt(a0, a1);
    }

    @Override
    public void setLong(int a0, long a1) throws SQLException {
        open().setLong(a0, a1);
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
    public void setNCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
        open().setNCharacterStream(a0, a1, a2);
    }

    @Override
    public void setNCharacterStream(int a0, java.io.Reader a1) throws SQLException {
        open().setNCharacterStream(a0, a1);
    }

    @Override
    public void setNClob(int a0, java.io.Reader a1, long a2) throws SQLException {
        open().setNClob(a0, a1, a2);
    }

    @Override
    public void setNClob(int a0, java.io.Reader a1) throws SQLException {
        open().setNClob(a0, a1);
    }

    @Override
    public void setNClob(int a0, NClob a1) throws SQLException {
        open().setNClob(a0, a1);
    }

    @Override
    public void setNString(int a0, String a1) throws SQLException {
        open().setNString(a0, a1);
    }

    @Override
    public void setNull(int a0, int a1, String a2) throws SQLException {
        open().setNull(a0, a1, a2);
    }

    @Override
    public void setNull(int a0, int a1) throws SQLException {
        open().setNull(a0, a1);
    }

    @Override
    public void setObject(int a0, Object a1, int a2, int a3) throws SQLException {
        open().setObject(a0, a1, a2, a3);
    }

    @Override
    public void setObject(int a0, Object a1, int a2) throws SQLException {
        open().setObject(a0, a1, a2);
    }

    @Override
    public void setObject(int a0, Object a1) throws SQLException {
        open().setObject(a0, a1);
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
    public void setRef(int a0, Ref a1) throws SQLException {
        open().setRef(a0, a1);
    }

    @Override
    public void setRowId(int a0, RowId a1) throws SQLException {
        open().setRowId(a0, a1);
    }

    @Override
    public void setSQLXML(int a0, SQLXML a1) throws SQLException {
        open().setSQLXML(a0, a1);
    }

    @Override
    public void setShort(int a0, short a1) throws SQLException {
        open().setShort(a0, a1);
    }

    @Override
    public void setString(int a0, String a1) throws SQLException {
        open().setString(a0, a1);
    }

    @Override
    public void setTime(int a0, Time a1, java.util.Calendar a2) throws SQLException {
        open().setTime(a0, a1, a2);
    }

    @Override
    public void setTime(int a0, Time a1) throws SQLException {
        open().setTime(a0, a1);
    }

    @Override
    public void setTimestamp(int a0, Timestamp a1, java.util.Calendar a2) throws SQLException {
        open().setTimestamp(a0, a1, a2);
    }

    @Override
    public void setTimestamp(int a0, Timestamp a1) throws SQLException {
        open().setTimestamp(a0, a1);
    }

    @Override
    public void setURL(int a0, java.net.URL a1) throws SQLException {
        open().setURL(a0, a1);
    }

    @Override
    public void setUnicodeStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
        open().setUnicodeStream(a0, a1, a2);
    }

    @Override
    public <T> T unwrap(Class<T> a0) throws SQLException {
        return open().unwrap(a0);
    }
}

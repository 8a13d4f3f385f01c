package dev.herald.store.jdbc;

import dev.herald.store.jdbc.StatementCounter.Kind;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;

/**
 * A {@link PreparedStatement} that passes every call to {@code target}, written out like {@link DelegatingStatement}
 * (which it extends for the calls of a plain statement). Subclasses hear of each execution through
 * {@link #executing} and may refuse calls in {@link #open}.
 */
public abstract class DelegatingPreparedStatement extends DelegatingStatement implements PreparedStatement {
    protected final PreparedStatement target;

    protected DelegatingPreparedStatement(PreparedStatement target) {
        super(target);
        this.target = target;
    }

    /** The statement calls go to; {@code target} by default. */
    @Override
    protected PreparedStatement open() throws SQLException {
        return target;
    }

    @Override
    public void addBatch() throws SQLException {
        open().addBatch();
    }

    @Override
    public void clearParameters() throws SQLException {
        open().clearParameters();
    }

    @Override
    public boolean execute() throws SQLException {
        executing(Kind.EXECUTE);
        return open().execute();
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        executing(Kind.QUERY);
        return open().executeQuery();
    }

    @Override
    public int executeUpdate() throws SQLException {
        executing(Kind.UPDATE);
        return open().executeUpdate();
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return open().getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return open().getParameterMetaData();
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
}

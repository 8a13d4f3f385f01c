package dev.herald.store.jdbc;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Circuit;
import dev.herald.store.StoreException;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A wire-name column reads as its constant from SQLite's bytes; anything else is the store's error, named. */
class WireColumnTest {
    private static final WireColumn<Circuit> CIRCUIT = WireColumn.of(Circuit.class, "circuit state");

    private static <T> T readSelected(String expression, ResultSetReader<T> reader) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
             var ps = c.prepareStatement("SELECT " + expression + " AS v");
             var rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return reader.read(rs);
        }
    }

    private interface ResultSetReader<T> {
        T read(ResultSet rs) throws Exception;
    }

    @Test
    void everyConstantReadsBackFromItsWireName() throws Exception {
        for (Circuit circuit : Circuit.values()) {
            Circuit read = readSelected("'" + circuit.wireName() + "'", rs -> CIRCUIT.read(rs, "v"));
            assertThat(read).isEqualTo(circuit);
            Circuit byPosition = readSelected("'" + circuit.wireName() + "'", rs -> CIRCUIT.read(rs, 1));
            assertThat(byPosition).isEqualTo(circuit);
        }
        var states = WireColumn.of(DeliveryState.class, "delivery state");
        for (DeliveryState state : DeliveryState.values()) {
            DeliveryState read = readSelected("'" + state.wireName() + "'", rs -> states.read(rs, "v"));
            assertThat(read).isEqualTo(state);
        }
    }

    @Test
    void anUnknownNameANearMissAndNullAreTheStoresError() {
        assertThatThrownBy(() -> readSelected("'half_opened'", rs -> CIRCUIT.read(rs, "v")))
                .isInstanceOf(StoreException.class).hasMessage("store: unknown circuit state half_opened");
        assertThatThrownBy(() -> readSelected("'Closed'", rs -> CIRCUIT.read(rs, "v")))
                .isInstanceOf(StoreException.class).hasMessage("store: unknown circuit state Closed");
        assertThatThrownBy(() -> readSelected("''", rs -> CIRCUIT.read(rs, "v")))
                .isInstanceOf(StoreException.class).hasMessage("store: unknown circuit state ");
        assertThatThrownBy(() -> readSelected("NULL", rs -> CIRCUIT.read(rs, "v")))
                .isInstanceOf(StoreException.class).hasMessage("store: unknown circuit state NULL");
        assertThatThrownBy(() -> readSelected("'open '", rs -> CIRCUIT.read(rs, 1)))
                .isInstanceOf(StoreException.class).hasMessage("store: unknown circuit state open ");
    }

    @Test
    void textReadAsBytesEqualsTheDriversStringForEveryKindOfValue() throws Exception {
        for (String literal : new String[] {"'msg_2mAbc'", "''", "'é€😀'", "42", "1.5", "NULL"}) {
            String viaString = readSelected(literal, rs -> rs.getString("v"));
            String viaBytes = readSelected(literal, rs -> Columns.text(rs, "v"));
            assertThat(viaBytes).as(literal).isEqualTo(viaString);
        }
    }
}

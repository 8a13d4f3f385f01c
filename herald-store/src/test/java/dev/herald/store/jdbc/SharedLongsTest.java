package dev.herald.store.jdbc;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** A repeated value is bound as one box, a changed value as a box of its own, an empty one as NULL. */
class SharedLongsTest {
    private final List<Object> bound = new ArrayList<>();
    private final PreparedStatement statement = (PreparedStatement) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "setObject" -> bound.add(args[1]);
                    case "setNull" -> bound.add("NULL " + args[1]);
                    default -> throw new AssertionError("unexpected " + method.getName());
                }
                return null;
            });

    @Test
    void bindsARepeatedValueAsOneBoxAndEachChangeAsANewOne() throws Exception {
        var column = new SharedLongs();
        column.bind(statement, 1, 1_705_315_800_000L);
        column.bind(statement, 2, 1_705_315_800_000L);
        column.bind(statement, 3, 1_705_315_800_001L);
        column.bind(statement, 4, 1_705_315_800_000L);

        assertThat(bound).containsExactly(1_705_315_800_000L, 1_705_315_800_000L, 1_705_315_800_001L,
                1_705_315_800_000L);
        assertThat(bound.get(1)).isSameAs(bound.get(0));
        assertThat(bound.get(2)).isNotSameAs(bound.get(1));
        assertThat(bound.get(3)).as("only the value just before is shared").isNotSameAs(bound.get(0));
    }

    @Test
    void bindsTimesAsEpochMillisecondsAndNumbersAndEmptyOnesAsNull() throws Exception {
        var column = new SharedLongs();
        column.bind(statement, 1, Optional.of(Instant.ofEpochMilli(1_705_315_800_123L)));
        column.bind(statement, 2, Optional.<Instant>empty());
        column.bind(statement, 3, OptionalInt.of(200));
        column.bind(statement, 4, OptionalInt.of(200));
        column.bind(statement, 5, OptionalInt.empty());

        assertThat(bound).containsExactly(1_705_315_800_123L, "NULL " + Types.BIGINT, 200L, 200L,
                "NULL " + Types.BIGINT);
        assertThat(bound.get(3)).isSameAs(bound.get(2));
    }
}

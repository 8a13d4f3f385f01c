package dev.herald.store.jdbc;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizedSqlTest {
    private static final String TEMPLATE = "UPDATE t SET x = 1 WHERE id IN (%s)";

    @Test
    void makesTheSameTextAsFormattingTheTemplateForEveryLength() {
        var sized = SizedSql.rows(TEMPLATE, "(?, 'a')");
        for (int length : new int[] {1, 2, 3, 128, 500, SizedSql.MAX, SizedSql.MAX + 1}) {
            assertThat(sized.of(length)).isEqualTo(TEMPLATE.formatted(Placeholders.repeat("(?, 'a')", length)));
        }
        assertThat(SizedSql.list(TEMPLATE).of(3)).isEqualTo("UPDATE t SET x = 1 WHERE id IN (?, ?, ?)");
    }

    @Test
    void formatsAListsTextOnlyOnce() {
        var sized = SizedSql.list(TEMPLATE);
        assertThat(sized.of(10)).isSameAs(sized.of(10));
    }

    @Test
    void refusesAnEmptyList() {
        assertThatThrownBy(() -> SizedSql.list(TEMPLATE).of(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cutsKeysIntoInListsOfAtMostTheLongestInOrder() {
        var keys = java.util.stream.LongStream.range(0, 1_100).boxed().toList();
        var lists = SizedSql.inLists(keys);
        assertThat(lists).extracting(List::size).containsExactly(SizedSql.MAX, SizedSql.MAX, 1_100 - 2 * SizedSql.MAX);
        assertThat(lists.stream().flatMap(List::stream).toList()).isEqualTo(keys);
        assertThat(SizedSql.list(TEMPLATE).forList(lists.getLast())).isEqualTo(SizedSql.list(TEMPLATE).of(128));
        assertThat(SizedSql.inLists(List.of())).isEmpty();
    }

    @Test
    void padsAnInListToTheNextLengthWithItsLastKey() throws Exception {
        assertThat(SizedSql.padded(1)).isEqualTo(1);
        assertThat(SizedSql.padded(5)).isEqualTo(8);
        assertThat(SizedSql.padded(8)).isEqualTo(8);
        assertThat(SizedSql.padded(SizedSql.MAX)).isEqualTo(SizedSql.MAX);
        assertThatThrownBy(() -> SizedSql.padded(SizedSql.MAX + 1)).isInstanceOf(IllegalArgumentException.class);

        var bound = new ArrayList<Object>();
        var statement = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    assertThat(method.getName()).isEqualTo("setLong");
                    assertThat(args[0]).isEqualTo(bound.size() + 2);
                    bound.add(args[1]);
                    return null;
                });
        int next = SizedSql.bindPadded(statement, 2, List.of(7L, 3L, 9L, 4L, 11L));
        assertThat(bound).containsExactly(7L, 3L, 9L, 4L, 11L, 11L, 11L, 11L);
        assertThat(next).isEqualTo(10);
    }

    @Test
    void cutsRowsIntoRunsOfAtMostTheGivenLengthInOrder() {
        assertThat(SizedSql.chunks(List.of("a", "b", "c", "d", "e"), 2))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
        assertThat(SizedSql.chunks(List.of("a", "b"), 2)).containsExactly(List.of("a", "b"));
        assertThat(SizedSql.chunks(List.of(), 2)).isEmpty();
    }
}

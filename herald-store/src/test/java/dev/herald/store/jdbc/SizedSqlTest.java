package dev.herald.store.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizedSqlTest {
    private static final String TEMPLATE = "UPDATE t SET x = 1 WHERE id IN (%s)";

    @Test
    void makesTheSameTextAsFormattingTheTemplateForEveryLength() {
        var sized = SizedSql.rows(TEMPLATE, "(?, 'a')");
        for (int length : new int[] {1, 2, 128, 129, 500}) {
            assertThat(sized.of(length)).isEqualTo(TEMPLATE.formatted(Placeholders.repeat("(?, 'a')", length)));
        }
        assertThat(SizedSql.list(TEMPLATE).of(3)).isEqualTo("UPDATE t SET x = 1 WHERE id IN (?, ?, ?)");
    }

    @Test
    void formatsAShortListsTextOnlyOnce() {
        var sized = SizedSql.list(TEMPLATE);
        assertThat(sized.of(10)).isSameAs(sized.of(10));
    }

    @Test
    void refusesAnEmptyList() {
        assertThatThrownBy(() -> SizedSql.list(TEMPLATE).of(0)).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.herald.core.id;

import org.junit.jupiter.api.Test;

import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;

class RandomIdsTest {
    @Test
    void idsHaveThePrefixAndLengthAndUseEveryBase62Character() {
        var seen = new HashSet<Character>();
        var ids = new HashSet<String>();
        for (int i = 0; i < 5_000; i++) {
            String id = RandomIds.next("wh_", 24);
            assertThat(id).matches("wh_[0-9A-Za-z]{24}");
            assertThat(RandomIds.hasShape(id, "wh_")).isTrue();
            ids.add(id);
            for (char c : id.substring(3).toCharArray()) {
                seen.add(c);
            }
        }
        assertThat(ids).hasSize(5_000);
        assertThat(seen).hasSize(62);
    }

    @Test
    void charactersAreRoughlyUniform() {
        int[] counts = new int[128];
        int total = 0;
        for (int i = 0; i < 20_000; i++) {
            for (char c : RandomIds.next("", 31).toCharArray()) {
                counts[c]++;
                total++;
            }
        }
        double expected = total / 62.0;
        for (char c = '0'; c <= 'z'; c++) {
            if (Character.isLetterOrDigit(c)) {
                assertThat((double) counts[c]).isBetween(expected * 0.9, expected * 1.1);
            }
        }
    }
}

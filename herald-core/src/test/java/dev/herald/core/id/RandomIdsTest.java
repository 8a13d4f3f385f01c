package dev.herald.core.id;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomIdsTest {
    @Test
    void idsHaveThePrefixAndLengthAndUseEveryBase62Character() {
        assertDistinctBase62Ids("wh_", 24, () -> RandomIds.next("wh_", 24));
    }

    @Test
    void nonSecretIdsHaveTheSameShapeAndStayDistinct() {
        assertDistinctBase62Ids("req_", 26, () -> RandomIds.nextNonSecret("req_", 26));
    }

    /** 5,000 ids from {@code next}: each the prefix and {@code length} base62 characters, all distinct, all 62 used. */
    private static void assertDistinctBase62Ids(String prefix, int length, Supplier<String> next) {
        var seen = new HashSet<Character>();
        var ids = new HashSet<String>();
        for (int i = 0; i < 5_000; i++) {
            String id = next.get();
            assertThat(id).matches(prefix + "[0-9A-Za-z]{" + length + "}");
            assertThat(RandomIds.hasShape(id, prefix)).isTrue();
            ids.add(id);
            for (char c : id.substring(prefix.length()).toCharArray()) {
                seen.add(c);
            }
        }
        assertThat(ids).hasSize(5_000);
        assertThat(seen).hasSize(62);
    }

    /**
     * Threads drawing ids at once from the pooled generator never get the same random characters: with 8 random
     * characters (~48 bits), 40,000 ids would all but never collide unless a pooled byte were handed out twice.
     */
    @Test
    void idsDrawnConcurrentlyStayDistinct() throws Exception {
        var ids = ConcurrentHashMap.<String>newKeySet();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var start = new CountDownLatch(1);
            for (int t = 0; t < 8; t++) {
                threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 5_000; i++) {
                        ids.add(RandomIds.timeOrdered("x_", 16, 0));
                    }
                    return null;
                });
            }
            start.countDown();
        }
        assertThat(ids).hasSize(40_000);
    }

    @Test
    void aPrefixOutsideAsciiIsRefused() {
        assertThatThrownBy(() -> RandomIds.next("é_", 24)).isInstanceOf(IllegalArgumentException.class);
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

    @Test
    void timeOrderedIdsSortByTheirTimeAndStayUnique() {
        long now = 1_795_000_000_000L;
        String earlier = RandomIds.timeOrdered("evt_", 24, now);
        String sameMillisecond = RandomIds.timeOrdered("evt_", 24, now);
        String later = RandomIds.timeOrdered("evt_", 24, now + 1);
        String muchLater = RandomIds.timeOrdered("evt_", 24, now + 86_400_000L * 365 * 50);

        assertThat(earlier).matches("evt_[0-9A-Za-z]{24}").isNotEqualTo(sameMillisecond);
        assertThat(earlier.substring(0, 12)).isEqualTo(sameMillisecond.substring(0, 12));
        assertThat(earlier.compareTo(later)).isNegative();
        assertThat(sameMillisecond.compareTo(later)).isNegative();
        assertThat(later.compareTo(muchLater)).isNegative();
        assertThat(RandomIds.hasShape(earlier, "evt_")).isTrue();
    }

    @Test
    void timeOrderedIdsKeepTheirRandomPartUnguessable() {
        var suffixes = new HashSet<String>();
        for (int i = 0; i < 5_000; i++) {
            suffixes.add(RandomIds.timeOrdered("dlv_", 24, 0).substring(4 + 8));
        }
        assertThat(suffixes).hasSize(5_000);
        assertThat(RandomIds.timeOrdered("dlv_", 24, 0)).startsWith("dlv_00000000");
    }

    @Test
    void timeOrderedIdsRejectLengthsWithoutRandomCharacters() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RandomIds.timeOrdered("x_", 8, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

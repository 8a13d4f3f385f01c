package dev.herald.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SteadinessTest {
    private static final long WINDOW = 3_000_000_000L;

    @Test
    void steadyOnlyOnceTheRateStopsRisingAfterTheFirstWindows() {
        var steadiness = new Scenarios.Steadiness(0);
        long delivered = 0;
        long now = 0;
        int[] perWindow = {1_000, 2_000, 4_000, 6_000, 8_000, 8_100, 8_050};
        boolean[] expected = {false, false, false, false, false, false, true};
        for (int w = 0; w < perWindow.length; w++) {
            assertThat(steadiness.steady(now + WINDOW / 2, delivered)).as("mid-window %d", w).isFalse();
            now += WINDOW;
            delivered += perWindow[w] * 3L;
            assertThat(steadiness.steady(now, delivered)).as("end of window %d", w).isEqualTo(expected[w]);
        }
    }

    @Test
    void aRateThatKeepsRisingIsNeverSteady() {
        var steadiness = new Scenarios.Steadiness(0);
        long delivered = 0;
        for (int w = 1; w <= 20; w++) {
            delivered += 1_000L * w * 3;
            assertThat(steadiness.steady(w * WINDOW, delivered)).isFalse();
        }
    }
}

package dev.herald.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SteadinessTest {
    private static final long WINDOW = 3_000_000_000L;

    @Test
    void steadyOnceTheJitStaysQuietForTwoWindowsAfterTheFirstOnes() {
        var steadiness = new Scenarios.Steadiness(0, 0);
        long compiled = 0;
        long now = 0;
        // Milliseconds compiled per 3 s window: busy, quiet too early to count, busy again, then quiet.
        int[] perWindow = {2_400, 100, 50, 900, 120, 60, 10};
        boolean[] expected = {false, false, false, false, false, true, true};
        for (int w = 0; w < perWindow.length; w++) {
            assertThat(steadiness.steady(now + WINDOW / 2, compiled)).as("mid-window %d", w).isFalse();
            now += WINDOW;
            compiled += perWindow[w];
            assertThat(steadiness.steady(now, compiled)).as("end of window %d", w).isEqualTo(expected[w]);
        }
        assertThat(steadiness.shares()).startsWith("80% 3% 2% 30% 4% 2%");
    }

    @Test
    void aBusyJitIsNeverSteady() {
        var steadiness = new Scenarios.Steadiness(0, 0);
        for (int w = 1; w <= 20; w++) {
            assertThat(steadiness.steady(w * WINDOW, w * 600L)).isFalse();
        }
    }

    @Test
    void anUnknownCompilationTimeLeavesItToTheLimit() {
        var steadiness = new Scenarios.Steadiness(0, -1);
        for (int w = 1; w <= 20; w++) {
            assertThat(steadiness.steady(w * WINDOW, -1)).isFalse();
        }
    }
}

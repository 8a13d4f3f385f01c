package dev.herald.core.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void defaultScheduleIsImmediateThenOneFiveThirtyMinutesAndTwoHours() {
        var schedule = new RetrySchedule(RetrySchedule.DEFAULT.delays(), 0);
        assertThat(schedule.maxAttempts()).isEqualTo(5);
        assertThat(schedule.nextAttemptAt(0, NOW, new Random(1))).contains(NOW);
        assertThat(schedule.nextAttemptAt(1, NOW, new Random(1))).contains(NOW.plus(Duration.ofMinutes(1)));
        assertThat(schedule.nextAttemptAt(2, NOW, new Random(1))).contains(NOW.plus(Duration.ofMinutes(5)));
        assertThat(schedule.nextAttemptAt(3, NOW, new Random(1))).contains(NOW.plus(Duration.ofMinutes(30)));
        assertThat(schedule.nextAttemptAt(4, NOW, new Random(1))).contains(NOW.plus(Duration.ofHours(2)));
        assertThat(schedule.nextAttemptAt(5, NOW, new Random(1))).isEmpty();
    }

    @Test
    void jitterStaysWithinTenPercent() {
        var random = new Random(42);
        for (int i = 0; i < 1_000; i++) {
            Instant next = RetrySchedule.DEFAULT.nextAttemptAt(1, NOW, random).orElseThrow();
            long millis = Duration.between(NOW, next).toMillis();
            assertThat(millis).isBetween(54_000L, 66_000L);
        }
    }

    @Test
    void retryAfterIsCappedAtTheLongestDelay() {
        var schedule = new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(30)), 0);
        assertThat(schedule.retryAfter(1, NOW, Duration.ofSeconds(5))).contains(NOW.plusSeconds(5));
        assertThat(schedule.retryAfter(1, NOW, Duration.ofHours(9))).contains(NOW.plusSeconds(30));
        assertThat(schedule.retryAfter(3, NOW, Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void rejectsEmptyOrNegativeSchedules() {
        assertThatThrownBy(() -> new RetrySchedule(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(-1)), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ZERO), 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}

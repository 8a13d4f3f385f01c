package dev.herald.api.http;

import dev.herald.core.account.ApiKeyId;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ApiRateLimitTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void admitsOneSecondsWorthThenAsksToWaitUntilATokenRefills() {
        var limit = ApiRateLimit.perKey(3, nanos::get);
        var key = new ApiKeyId(1);
        assertThat(limit.take(key)).isZero();
        assertThat(limit.take(key)).isZero();
        assertThat(limit.take(key)).isZero();
        assertThat(limit.take(key)).isEqualTo(1);
        nanos.addAndGet(340_000_000L);
        assertThat(limit.take(key)).isZero();
    }

    @Test
    void keysHaveSeparateBuckets() {
        var limit = ApiRateLimit.perKey(1, nanos::get);
        assertThat(limit.take(new ApiKeyId(1))).isZero();
        assertThat(limit.take(new ApiKeyId(1))).isPositive();
        assertThat(limit.take(new ApiKeyId(2))).isZero();
    }

    @Test
    void forgetsTheLeastRecentlyUsedKeysBeyondTheBound() {
        var limit = ApiRateLimit.perKey(1, nanos::get);
        for (long k = 1; k <= ApiRateLimit.MAX_TRACKED_KEYS + 5_000; k++) {
            limit.take(new ApiKeyId(k));
        }
        assertThat(limit.trackedKeys()).isEqualTo(ApiRateLimit.MAX_TRACKED_KEYS);
    }

    @Test
    void zeroTurnsTheLimitOff() {
        var limit = ApiRateLimit.perKey(0);
        assertThat(limit.enabled()).isFalse();
        for (int i = 0; i < 1_000; i++) {
            assertThat(limit.take(new ApiKeyId(1))).isZero();
        }
    }
}

package dev.herald.api.http;

import dev.herald.core.account.ApiKeyId;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The per-API-key request limit ({@code api.rate-limit} requests per second, bursts of one second's worth):
 * a token bucket per key id, refused requests answer {@code 429 rate_limited} with {@code Retry-After}.
 * Memory is bounded: at most {@link #MAX_TRACKED_KEYS} buckets, the least recently used forgotten first
 * (a forgotten key starts again with a full bucket, which only ever errs on the side of admitting).
 */
public final class ApiRateLimit {
    /** Enough for every active key of a large installation; a bucket is a few dozen bytes. */
    static final int MAX_TRACKED_KEYS = 10_000;
    private static final ApiRateLimit OFF = new ApiRateLimit(0, System::nanoTime);

    private final int perSecond;
    private final LongSupplier nanoTime;
    private final Map<ApiKeyId, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ApiKeyId, Bucket> eldest) {
            return size() > MAX_TRACKED_KEYS;
        }
    };

    private ApiRateLimit(int perSecond, LongSupplier nanoTime) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond must be >= 0 (0 = off)");
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
    }

    /** {@code perSecond} requests per second per key; 0 turns the limit off. */
    public static ApiRateLimit perKey(int perSecond) {
        return perSecond == 0 ? OFF : new ApiRateLimit(perSecond, System::nanoTime);
    }

    /** As {@link #perKey(int)} with a given monotonic nanosecond source (tests). */
    static ApiRateLimit perKey(int perSecond, LongSupplier nanoTime) {
        return new ApiRateLimit(perSecond, nanoTime);
    }

    public static ApiRateLimit off() {
        return OFF;
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /**
     * Takes one request of {@code key}: 0 when admitted, otherwise the whole seconds (at least 1) until the key
     * may send again, for the {@code Retry-After} header.
     */
    long take(ApiKeyId key) {
        if (perSecond == 0) {
            return 0;
        }
        long waitNanos;
        // one short critical section per request: the map is access-ordered, so even a read mutates it
        synchronized (buckets) {
            long now = nanoTime.getAsLong();
            waitNanos = buckets.computeIfAbsent(key, k -> new Bucket(perSecond, now)).tryTake(perSecond, now);
        }
        return waitNanos == 0 ? 0 : Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }

    /** Admits one request of {@code key} or sets {@code Retry-After} and throws {@code rate_limited}. */
    void admit(ApiKeyId key, Context ctx) {
        long waitSeconds = take(key);
        if (waitSeconds > 0) {
            ctx.header("Retry-After", Long.toString(waitSeconds));
            throw HeraldException.of(ErrorCode.RATE_LIMITED,
                    "rate limit of " + perSecond + " requests per second for this API key exceeded");
        }
    }

    int trackedKeys() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    /** Tokens of one key; guarded by the owner's lock. */
    private static final class Bucket {
        private double tokens;
        private long refilledNanos;

        Bucket(int perSecond, long now) {
            this.tokens = perSecond;
            this.refilledNanos = now;
        }

        long tryTake(int perSecond, long now) {
            refill(perSecond, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return nanosUntilToken(perSecond, now);
        }

        long nanosUntilToken(int perSecond, long now) {
            refill(perSecond, now);
            return tokens >= 1 ? 0 : Math.max(1, (long) ((1 - tokens) / perSecond * 1e9));
        }

        private void refill(int perSecond, long now) {
            tokens = Math.min(perSecond, tokens + (now - refilledNanos) / 1e9 * perSecond);
            refilledNanos = now;
        }
    }
}

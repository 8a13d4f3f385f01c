package dev.herald.delivery;

/**
 * An endpoint's optional rate limit: {@code rate} deliveries per second with bursts of up to one second's
 * worth. Not thread-safe; the dispatcher calls it under its lock.
 */
final class TokenBucket {
    private final double rate;
    private double tokens;
    private long refilledNanos;

    TokenBucket(int ratePerSecond) {
        this.rate = ratePerSecond;
        this.tokens = ratePerSecond;
        this.refilledNanos = System.nanoTime();
    }

    int rate() {
        return (int) rate;
    }

    /** Takes a token and returns 0, or returns how many nanoseconds until one is available. */
    long tryTake() {
        long now = System.nanoTime();
        tokens = Math.min(rate, tokens + (now - refilledNanos) / 1e9 * rate);
        refilledNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) ((1 - tokens) / rate * 1e9));
    }
}

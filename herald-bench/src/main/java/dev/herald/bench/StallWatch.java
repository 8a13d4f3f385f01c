package dev.herald.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread that asks to sleep 1 ms at a time and records how much longer each sleep took. Large overshoots mean
 * the bench's JVM (its load generator and receiver) or the whole machine stopped running for that long: latency
 * measured meanwhile includes the stall, whatever Herald did.
 */
final class StallWatch implements AutoCloseable {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** One overshoot per tick; a latency run of minutes fits (a minute is about 60,000 ticks). */
    private final long[] overshoots = new long[600_000];
    private int count;
    private volatile boolean running = true;
    private final Thread thread;

    StallWatch() {
        thread = Thread.ofPlatform().name("bench-stall-watch").daemon().start(this::run);
    }

    private void run() {
        while (running && count < overshoots.length) {
            long before = System.nanoTime();
            LockSupport.parkNanos(TICK_NANOS);
            overshoots[count++] = Math.max(0, System.nanoTime() - before - TICK_NANOS);
        }
    }

    /** The overshoots recorded so far, in nanoseconds; stops the watch. */
    long[] stop() {
        running = false;
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Arrays.copyOf(overshoots, count);
    }

    @Override
    public void close() {
        running = false;
    }
}

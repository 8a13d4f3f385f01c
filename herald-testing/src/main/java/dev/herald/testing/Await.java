package dev.herald.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: the tests' one replacement for sleeping a guessed time. */
public final class Await {
    /** Long enough for a loaded CI machine, short enough that a hang fails the build rather than stalling it. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT_TIMEOUT, condition);
    }

    /** Returns as soon as {@code condition} holds; fails saying what was awaited once {@code timeout} has passed. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        value(what, timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    public static <T> T value(String what, Supplier<Optional<T>> probe) {
        return value(what, DEFAULT_TIMEOUT, probe);
    }

    /** The first present value of {@code probe}; fails saying what was awaited once {@code timeout} has passed. */
    public static <T> T value(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS); // the poll's pace, not the wait: the deadline decides how long
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}

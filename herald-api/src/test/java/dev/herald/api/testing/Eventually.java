package dev.herald.api.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes — the tests' replacement for sleeping. */
public final class Eventually {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private Eventually() {
    }

    /** Returns the first present value of {@code probe}, or fails saying what was awaited. */
    public static <T> T get(String what, Supplier<Optional<T>> probe) {
        Instant deadline = Instant.now().plus(DEFAULT_TIMEOUT);
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + DEFAULT_TIMEOUT + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    public static void until(String what, Supplier<Boolean> condition) {
        get(what, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}

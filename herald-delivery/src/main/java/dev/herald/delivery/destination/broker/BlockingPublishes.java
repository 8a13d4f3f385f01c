package dev.herald.delivery.destination.broker;

import dev.herald.core.delivery.ErrorClass;
import dev.herald.delivery.send.SendResult;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a broker client's blocking publish on a virtual thread of its own, so no caller (and no other endpoint)
 * waits on a slow broker, and turns its outcome into a {@link SendResult}: the broker's answer on success,
 * a classified failure otherwise. One deadline bounds every attempt even if a client ignored its timeouts.
 */
public final class BlockingPublishes implements AutoCloseable {
    /** The work of one attempt; returns the broker's answer (a sequence number, an entry id). */
    @FunctionalInterface
    public interface Publish {
        String run() throws Exception;
    }

    private final ExecutorService threads;
    private final Duration timeout;
    private final BrokerFailures failures;

    public BlockingPublishes(String name, Duration timeout, BrokerFailures failures) {
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("herald-" + name + "-", 0)
                .factory());
        this.timeout = timeout;
        this.failures = failures;
    }

    public CompletableFuture<SendResult> run(Publish publish) {
        long started = System.nanoTime();
        var result = new CompletableFuture<SendResult>();
        try {
            threads.execute(() -> {
                try {
                    String answer = publish.run();
                    result.complete(new SendResult(OptionalInt.empty(), answer, Optional.empty(), Optional.empty(),
                            elapsed(started), Optional.empty()));
                } catch (Throwable e) {
                    BrokerException failure = failures.classify(e);
                    result.complete(SendResult.failure(failure.errorClass(), failure.getMessage(), elapsed(started)));
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(SendResult.failure(ErrorClass.CONNECT, "shutting down", elapsed(started)));
        }
        // Connect and confirmation each have the timeout; the backstop allows both plus a margin.
        return result.completeOnTimeout(SendResult.failure(ErrorClass.TIMEOUT, "timeout after "
                + 2 * timeout.toMillis() + " ms", 2 * timeout.toMillis()), 2 * timeout.toMillis() + 500,
                TimeUnit.MILLISECONDS);
    }

    private static long elapsed(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}

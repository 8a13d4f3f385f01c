package dev.herald.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * The virtual threads attempts run on: as many as the node has requests in flight at most, each taking the next
 * attempt from one queue, for the engine's life. An attempt blocks on its socket, and the first time a virtual thread
 * blocks its stack is copied into a newly allocated stack chunk, which a thread that lives on reuses: one thread per
 * attempt made that chunk, and the thread itself, a cost of every delivery (issue 25: with a thread per attempt, the
 * chunks of attempts waiting for their answer were the largest single share of the bytes allocated, 8 %).
 */
final class AttemptWorkers implements Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AttemptWorkers.class);

    private final LinkedTransferQueue<Runnable> waiting = new LinkedTransferQueue<>();
    private final List<Thread> threads;
    private volatile boolean closed;

    /** Starts {@code count} workers; the dispatcher never has more attempts running than the node's in-flight limit. */
    AttemptWorkers(int count) {
        threads = new ArrayList<>(count);
        var factory = Thread.ofVirtual().name("herald-attempt-", 1).factory();
        for (int i = 0; i < count; i++) {
            Thread thread = factory.newThread(this::work);
            threads.add(thread);
            thread.start();
        }
    }

    @Override
    public void execute(Runnable attempt) {
        if (closed) {
            throw new RejectedExecutionException("the delivery engine is stopping");
        }
        waiting.add(attempt);
    }

    private void work() {
        while (!closed) {
            Runnable attempt;
            try {
                attempt = waiting.take();
            } catch (InterruptedException e) {
                return; // closing
            }
            try {
                attempt.run();
            } catch (Throwable e) {
                // AttemptRunner handles its own failures; anything that still escapes must not end the worker.
                LOG.error("AttemptWorkers: an attempt failed unexpectedly; its delivery is retried when its lease "
                        + "expires. Will keep running.", e);
            }
        }
    }

    /** Stops the workers; an attempt still running is interrupted, which closes its socket. */
    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }
}

package dev.herald.api.http;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jetty's threads: virtual threads, as many as the server has tasks at once, each kept for the next task when it
 * finishes one (up to {@value #MAX_IDLE} waiting) instead of a new virtual thread per task. A request that waits for
 * its publish's commit parks its thread, and a virtual thread's first park copies its stack into a newly allocated
 * stack chunk, which a thread that lives on reuses (issue 25: with a thread per task those chunks were 5 % of what
 * Herald allocated, and Javalin's own pool also wrapped each task in a future). There is no cap on threads: a task
 * never waits for a free one, so slow clients cannot starve the others.
 */
final class ReusedVirtualThreads extends AbstractLifeCycle implements ThreadPool {
    private static final Logger LOG = LoggerFactory.getLogger(ReusedVirtualThreads.class);
    /** Threads kept waiting for a task at most; the rest end when their task does. */
    static final int MAX_IDLE = 256;
    /** Ends a waiting thread when the server stops. */
    private static final Runnable STOP = () -> { };

    private final ThreadFactory threads;
    private final LinkedTransferQueue<Runnable> handOff = new LinkedTransferQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean stopping;

    ReusedVirtualThreads(String name) {
        this.threads = Thread.ofVirtual().name(name + "-", 1).factory();
    }

    @Override
    public void execute(Runnable task) {
        if (stopping) {
            throw new RejectedExecutionException("the API server is stopping");
        }
        // Taken at once by a thread waiting in take(), or by a new thread when none waits.
        if (!handOff.tryTransfer(task)) {
            running.incrementAndGet();
            threads.newThread(() -> work(task)).start();
        }
    }

    private void work(Runnable first) {
        try {
            for (Runnable task = first; task != null && task != STOP; task = next()) {
                try {
                    task.run();
                } catch (Throwable e) {
                    // Jetty's tasks handle their own failures; one that escapes must not end a reusable thread.
                    LOG.error("ReusedVirtualThreads: a server task failed; the thread takes the next. Will keep running.",
                            e);
                }
            }
        } finally {
            running.decrementAndGet();
        }
    }

    /** The next task, or null when enough threads wait already (or the server stops): this thread then ends. */
    private Runnable next() {
        if (stopping || waiting.incrementAndGet() > MAX_IDLE) {
            waiting.decrementAndGet();
            return null;
        }
        try {
            return handOff.take();
        } catch (InterruptedException e) {
            return null;
        } finally {
            waiting.decrementAndGet();
        }
    }

    @Override
    protected void doStop() {
        stopping = true;
        // every thread waiting now takes a STOP; one that finishes its task later sees stopping and ends
        while (handOff.tryTransfer(STOP)) {
            // one more waiting thread told to end
        }
    }

    @Override
    public void join() throws InterruptedException {
        while (running.get() > 0) {
            Thread.sleep(10);
        }
    }

    @Override
    public int getThreads() {
        return running.get();
    }

    @Override
    public int getIdleThreads() {
        return waiting.get();
    }

    @Override
    public boolean isLowOnThreads() {
        return false;
    }
}

package dev.herald.delivery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * Virtual threads kept for the next task when they finish one, instead of a new virtual thread per task. A task is
 * handed to a thread waiting for one, or to a new thread when none waits, so a task never waits for a thread; at most
 * {@code maxIdle} threads are kept waiting, the others end with their task.
 *
 * <p>Why: a virtual thread's first block copies its stack into a newly allocated stack chunk, which a thread that
 * lives on reuses. Attempts block on their sockets and API requests on their publish's commit; with a thread per task
 * those chunks were the largest single share of the bytes Herald allocated (issue 25: 8 % for attempts, 5 % for
 * requests, and Javalin's pool also wrapped each task in a future). The delivery engine runs its attempts here and the
 * API server its Jetty tasks ({@code dev.herald.api.http.VirtualThreadPool}).
 */
public final class ReusedVirtualThreads implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(ReusedVirtualThreads.class);
    /** Ends a waiting thread when the pool stops. */
    private static final Runnable STOP = () -> { };

    private final String name;
    private final int maxIdle;
    private final ThreadFactory factory;
    /**
     * The threads waiting for a task, the one that waited least first (its stack and caches are warmest). Each waits
     * in a slot of its own, made once per thread: handing a task over allocates nothing (a transfer queue's node per
     * wait was 1 % of what a delivery allocated).
     */
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    /** Every thread of the pool, running a task or waiting for one: threads are made rarely, so kept in a set. */
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** A thread waiting for its next task, which a handing thread puts here. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        volatile Runnable task;
    }

    /** Threads named {@code name-1}, {@code name-2}…, at most {@code maxIdle} of them kept waiting for a task. */
    public ReusedVirtualThreads(String name, int maxIdle) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative");
        }
        this.name = name;
        this.maxIdle = maxIdle;
        this.factory = Thread.ofVirtual().name(name + "-", 1).factory();
    }

    @Override
    public void execute(Runnable task) {
        if (stopping) {
            throw new RejectedExecutionException(name + " is stopping");
        }
        // Taken at once by a thread waiting in next(), or by a new thread when none waits.
        Waiter waiter;
        synchronized (waiting) {
            waiter = waiting.pollFirst();
        }
        if (waiter != null) {
            waiter.task = task;
            LockSupport.unpark(waiter.thread);
            return;
        }
        Thread thread = factory.newThread(() -> work(task));
        live.add(thread);
        thread.start();
    }

    private void work(Runnable first) {
        var slot = new Waiter();
        try {
            for (Runnable task = first; task != null && task != STOP; task = next(slot)) {
                try {
                    task.run();
                } catch (Throwable e) {
                    // Tasks handle their own failures; one that escapes must not end a reusable thread.
                    LOG.error("ReusedVirtualThreads: a task of {} failed; the thread takes the next. Will keep running.",
                            name, e);
                }
            }
        } finally {
            live.remove(Thread.currentThread());
        }
    }

    /**
     * The next task, or null when enough threads wait already, the pool stops or the thread is interrupted while it
     * waits: this thread then ends.
     */
    private Runnable next(Waiter slot) {
        synchronized (waiting) {
            // stop() sets stopping before it takes the waiters: either it is seen here or this thread is taken
            if (stopping || waiting.size() >= maxIdle) {
                return null;
            }
            slot.task = null;
            waiting.addFirst(slot);
        }
        Runnable task;
        while ((task = slot.task) == null) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                synchronized (waiting) {
                    if (waiting.removeFirstOccurrence(slot)) {
                        return null;
                    }
                }
                // Already taken by execute() or stop(): its task is on the way, and this thread runs it.
                while ((task = slot.task) == null) {
                    Thread.onSpinWait();
                }
                return task;
            }
        }
        return task;
    }

    /**
     * Refuses new tasks and ends the waiting threads; a running task finishes, and its thread ends after it. Returns
     * once no thread waits.
     */
    public void stop() {
        stopping = true;
        List<Waiter> ended;
        synchronized (waiting) {
            ended = List.copyOf(waiting);
            waiting.clear();
        }
        for (Waiter waiter : ended) {
            waiter.task = STOP;
            LockSupport.unpark(waiter.thread);
        }
    }

    /** {@link #stop()}, and every running task is interrupted (an attempt's socket is closed by it). */
    public void stopNow() {
        stop();
        live.forEach(Thread::interrupt);
    }

    /** Waits until every thread has ended (after a stop, once the running tasks finish). */
    public void join() throws InterruptedException {
        while (!live.isEmpty()) {
            Thread.sleep(10);
        }
    }

    /** Threads running a task or waiting for one. */
    public int threads() {
        return live.size();
    }

    /** Threads waiting for a task. */
    public int idleThreads() {
        synchronized (waiting) {
            return waiting.size();
        }
    }
}

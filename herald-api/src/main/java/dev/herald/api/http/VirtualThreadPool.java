package dev.herald.api.http;

import dev.herald.delivery.ReusedVirtualThreads;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * Jetty's threads: {@link ReusedVirtualThreads}, as many as the server has tasks at once, up to {@value #MAX_IDLE}
 * kept waiting for the next. It replaces Javalin's pool, which started a virtual thread and a future for every task.
 * There is no cap on threads: a task never waits for a free one, so slow clients cannot starve the others. Stopping
 * lets running requests finish.
 */
final class VirtualThreadPool extends AbstractLifeCycle implements ThreadPool {
    /** Threads kept waiting for a task at most; the rest end when their task does. */
    static final int MAX_IDLE = 256;

    private final ReusedVirtualThreads threads;

    VirtualThreadPool(String name) {
        this.threads = new ReusedVirtualThreads(name, MAX_IDLE);
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    @Override
    protected void doStop() {
        threads.stop();
    }

    @Override
    public void join() throws InterruptedException {
        threads.join();
    }

    @Override
    public int getThreads() {
        return threads.threads();
    }

    @Override
    public int getIdleThreads() {
        return threads.idleThreads();
    }

    @Override
    public boolean isLowOnThreads() {
        return false;
    }
}

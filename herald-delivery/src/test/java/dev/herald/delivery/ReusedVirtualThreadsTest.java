package dev.herald.api.http;

import dev.herald.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReusedVirtualThreadsTest {
    private ReusedVirtualThreads pool;

    @BeforeEach
    void start() throws Exception {
        pool = new ReusedVirtualThreads("test-pool");
        pool.start();
    }

    @AfterEach
    void stop() throws Exception {
        pool.stop();
    }

    @Test
    void runsTheNextTaskOnTheThreadThatFinishedTheLastOne() throws Exception {
        var first = new AtomicReference<Thread>();
        var second = new AtomicReference<Thread>();
        var done = new CountDownLatch(1);
        pool.execute(() -> first.set(Thread.currentThread()));
        Await.until("the thread waits for a task", () -> pool.getIdleThreads() == 1);

        pool.execute(() -> {
            second.set(Thread.currentThread());
            done.countDown();
        });

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get()).isSameAs(first.get());
        assertThat(second.get().isVirtual()).isTrue();
        assertThat(pool.getThreads()).isEqualTo(1);
    }

    @Test
    void neverMakesATaskWaitForAThread() throws Exception {
        var started = new CountDownLatch(300);
        var release = new CountDownLatch(1);
        for (int i = 0; i < 300; i++) {
            pool.execute(() -> {
                started.countDown();
                awaitQuietly(release);
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).as("300 blocked tasks at once").isTrue();
        release.countDown();
        // then at most MAX_IDLE of them stay, waiting; the others end
        Await.until("the surplus threads end", () -> pool.getThreads() == ReusedVirtualThreads.MAX_IDLE
                && pool.getIdleThreads() == ReusedVirtualThreads.MAX_IDLE);
    }

    @Test
    void keepsRunningTasksAfterOneThrows() throws Exception {
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        var done = new CountDownLatch(50);
        pool.execute(() -> {
            throw new IllegalStateException("a task that escapes its own handling");
        });
        for (int i = 0; i < 50; i++) {
            pool.execute(() -> {
                ranOn.add(Thread.currentThread());
                done.countDown();
            });
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn).allSatisfy(t -> assertThat(t.getName()).startsWith("test-pool-"));
    }

    @Test
    void stoppingEndsTheWaitingThreadsAndRefusesNewTasks() throws Exception {
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> { });
        }
        Await.until("the threads wait for tasks", () -> pool.getIdleThreads() == pool.getThreads());

        pool.stop();

        Await.until("every thread ended", () -> pool.getThreads() == 0);
        assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

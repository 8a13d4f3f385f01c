package dev.herald.delivery;

import dev.herald.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReusedVirtualThreadsTest {
    private static final int MAX_IDLE = 8;

    private final ReusedVirtualThreads pool = new ReusedVirtualThreads("test-pool", MAX_IDLE);

    @AfterEach
    void stop() {
        pool.stopNow();
    }

    @Test
    void runsTheNextTaskOnTheThreadThatFinishedTheLastOne() throws Exception {
        var first = new AtomicReference<Thread>();
        var second = new AtomicReference<Thread>();
        var done = new CountDownLatch(1);
        pool.execute(() -> first.set(Thread.currentThread()));
        Await.until("the thread waits for a task", () -> pool.idleThreads() == 1);

        pool.execute(() -> {
            second.set(Thread.currentThread());
            done.countDown();
        });

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get()).isSameAs(first.get());
        assertThat(second.get().isVirtual()).isTrue();
        assertThat(second.get().getName()).startsWith("test-pool-");
        assertThat(pool.threads()).isEqualTo(1);
    }

    @Test
    void neverMakesATaskWaitForAThreadAndKeepsOnlyMaxIdleWaiting() throws Exception {
        var started = new CountDownLatch(50);
        var release = new CountDownLatch(1);
        for (int i = 0; i < 50; i++) {
            pool.execute(() -> {
                started.countDown();
                awaitQuietly(release);
            });
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).as("50 blocked tasks at once").isTrue();
        release.countDown();
        Await.until("the surplus threads end", () -> pool.threads() == MAX_IDLE && pool.idleThreads() == MAX_IDLE);
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
        assertThat(ranOn).isNotEmpty().allSatisfy(t -> assertThat(t.getName()).startsWith("test-pool-"));
    }

    @Test
    void stoppingEndsTheWaitingThreadsLetsARunningTaskFinishAndRefusesNewTasks() throws Exception {
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> { });
        }
        var running = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var finished = new CountDownLatch(1);
        pool.execute(() -> {
            running.countDown();
            try {
                release.await();
                finished.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        pool.stop();

        assertThat(pool.idleThreads()).isZero();
        assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        assertThat(finished.await(10, TimeUnit.SECONDS)).as("the running task finished, not interrupted").isTrue();
        Await.until("every thread ended", () -> pool.threads() == 0);
    }

    @Test
    void stoppingNowInterruptsARunningTask() throws Exception {
        var started = new CountDownLatch(1);
        var interrupted = new CountDownLatch(1);
        pool.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        pool.stopNow();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        pool.join();
        assertThat(pool.threads()).isZero();
    }

    /** Threads finishing tasks while the pool stops: none is left waiting for a task that will never come. */
    @Test
    void aStopRacingThreadsThatFinishTheirTasksLeavesNoneWaiting() throws Exception {
        for (int round = 0; round < 20; round++) {
            var racing = new ReusedVirtualThreads("race", 64);
            for (int i = 0; i < 64; i++) {
                racing.execute(Thread::yield);
            }
            racing.stop();
            assertThat(racing.idleThreads()).isZero();
            Await.until("every thread of round " + round + " ended", () -> racing.threads() == 0);
        }
    }

    @Test
    void aWaitingThreadThatIsInterruptedEndsAndTheNextTaskStillRuns() throws Exception {
        var first = new AtomicReference<Thread>();
        pool.execute(() -> first.set(Thread.currentThread()));
        Await.until("the thread waits for a task", () -> pool.idleThreads() == 1);

        first.get().interrupt();
        Await.until("the interrupted thread ended", () -> pool.threads() == 0 && pool.idleThreads() == 0);

        var ran = new CountDownLatch(1);
        pool.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Tasks handed over from several threads at once, to threads finishing theirs: every one runs, once. */
    @Test
    void everyTaskHandedOverFromManyThreadsRunsOnce() throws Exception {
        int perSubmitter = 5_000;
        var runs = new java.util.concurrent.atomic.AtomicInteger();
        var ran = new CountDownLatch(4 * perSubmitter);
        var submitters = new ArrayList<Thread>();
        for (int s = 0; s < 4; s++) {
            submitters.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    pool.execute(() -> {
                        runs.incrementAndGet();
                        ran.countDown();
                    });
                }
            }));
        }
        for (var submitter : submitters) {
            submitter.join();
        }
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(runs.get()).isEqualTo(4 * perSubmitter);
        Await.until("at most MAX_IDLE threads are kept", () -> pool.threads() <= MAX_IDLE);
        assertThat(pool.idleThreads()).isLessThanOrEqualTo(MAX_IDLE);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

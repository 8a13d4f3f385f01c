package dev.herald.delivery;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptWorkersTest {
    @Test
    void runsEveryAttemptOnOneOfItsVirtualThreadsAndKeepsWorkingAfterOneThrows() throws Exception {
        try (var workers = new AttemptWorkers(3)) {
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            var done = new CountDownLatch(200);
            workers.execute(() -> {
                throw new IllegalStateException("an attempt that escapes its own handling");
            });
            for (int i = 0; i < 200; i++) {
                workers.execute(() -> {
                    ranOn.add(Thread.currentThread());
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ranOn).hasSizeBetween(1, 3).allSatisfy(t -> {
                assertThat(t.isVirtual()).isTrue();
                assertThat(t.getName()).startsWith("herald-attempt-");
            });
        }
    }

    @Test
    void runsAsManyAttemptsAtOnceAsItHasWorkers() throws Exception {
        try (var workers = new AttemptWorkers(4)) {
            var started = new CountDownLatch(4);
            var release = new CountDownLatch(1);
            for (int i = 0; i < 4; i++) {
                workers.execute(() -> {
                    started.countDown();
                    awaitQuietly(release);
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).as("four blocked attempts at once").isTrue();
            release.countDown();
        }
    }

    @Test
    void closingInterruptsARunningAttemptAndRefusesNewOnes() throws Exception {
        var workers = new AttemptWorkers(1);
        var started = new CountDownLatch(1);
        var interrupted = new CountDownLatch(1);
        workers.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        workers.close();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> workers.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

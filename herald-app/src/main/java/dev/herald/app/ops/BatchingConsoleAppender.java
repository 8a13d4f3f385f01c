package dev.herald.app.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Herald's console (logback.xml's {@code STDOUT}): each line is encoded on the thread that logs it, as logback's
 * console does, and handed to one writer thread that writes everything queued meanwhile in one system call, instead
 * of a write and a flush per line on the request thread. A quiet server's line is written at once (the writer waits
 * for lines, not for a timer); under load a batch is whatever arrived during the previous write and {@link #LINGER}.
 *
 * <p>Trade-offs, chosen for a server whose stdout is a pipe to a log collector:
 * <ul>
 *   <li>A logging thread never waits on stdout itself. When stdout stops taking lines (a stalled collector, a paused
 *   terminal), the queue fills; a thread then waits at most {@link #ROOM_WAIT} for room and drops its line, counted,
 *   and the count is written as a WARN line once stdout moves again. Dropping lines is bad, but stopping the API
 *   and the deliveries because nobody reads the logs is worse; with {@link #QUEUE_LINES} lines queued stdout is
 *   already far behind.</li>
 *   <li>Lines still queued when the JVM halts are lost unless {@link #flush} or {@link #stop} ran first: {@code serve}
 *   flushes after Herald closed and before {@code main} exits, waiting at most {@link #STOP_WAIT} for a stuck stdout.
 *   {@code kill -9} loses what was queued (under load, a few milliseconds' worth).</li>
 *   <li>logback's {@code AsyncAppender} was not used: by default it drops INFO lines once its queue is 80 % full,
 *   copies each event's MDC and arguments to encode it later, and its console still writes and flushes per line.</li>
 * </ul>
 */
public final class BatchingConsoleAppender extends ConsoleAppender<ILoggingEvent> {
    static final int QUEUE_LINES = 8192;
    static final Duration ROOM_WAIT = Duration.ofMillis(100);
    static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /**
     * After a write the writer waits this long before taking the next batch, so a busy server's lines are written a
     * few dozen at a time (and their threads do not wake the writer one by one); an idle writer waits for the next
     * line itself, so a quiet server's line is written at once.
     */
    static final Duration LINGER = Duration.ofMillis(5);
    /** Lines are copied into a buffer this large and written with one call when it fills or the queue is empty. */
    private static final int BATCH_BYTES = 64 * 1024;

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running;
    private volatile Thread writer;

    @Override
    public void start() {
        super.start();
        if (!isStarted()) {
            return;
        }
        running = true;
        OutputStream out = getOutputStream();
        writer = Thread.ofPlatform().daemon().name("herald-log-writer").start(() -> writeUntilStopped(out));
    }

    /** Encodes here, so the line carries this thread's name and request id; queues the bytes for the writer. */
    @Override
    protected void append(ILoggingEvent event) {
        if (!isStarted()) {
            return;
        }
        byte[] line = encoder.encode(event);
        try {
            if (queue.offer(line, ROOM_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                accepted.incrementAndGet();
            } else {
                dropped.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the line is lost, the interrupt is not
            dropped.incrementAndGet();
        }
    }

    /**
     * Waits until the lines logged before this call are written, at most {@code limit}; false when stdout did not
     * take them in time.
     */
    public boolean flush(Duration limit) {
        long target = accepted.get();
        long deadline = System.nanoTime() + limit.toNanos();
        while (written.get() < target) {
            if (System.nanoTime() - deadline > 0 || !running) {
                return written.get() >= target;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }

    /** Writes what is queued (at most {@link #STOP_WAIT}), then stops; lines logged from now on are not written. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        flush(STOP_WAIT);
        running = false;
        Thread stopping = writer;
        try {
            stopping.join(STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.stop();
    }

    private void writeUntilStopped(OutputStream target) {
        var out = new BufferedOutputStream(target, BATCH_BYTES);
        while (running || !queue.isEmpty()) {
            long lines = 0;
            try {
                byte[] line = queue.poll(200, TimeUnit.MILLISECONDS);
                while (line != null) {
                    out.write(line);
                    lines++;
                    line = queue.poll();
                }
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    out.write(encoder.encode(droppedLine(lost)));
                }
                out.flush();
                if (lines > 0) {
                    // Busy: let a batch gather instead of being woken by, and writing, every single line.
                    LockSupport.parkNanos(LINGER.toNanos());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                // As logback's console: report through logback's status, keep going with the next lines.
                addError("BatchingConsoleAppender: writing log lines failed", e);
            } finally {
                written.addAndGet(lines); // written or failed: flush() waits for them no longer
            }
        }
    }

    private ILoggingEvent droppedLine(long lost) {
        var logger = ((LoggerContext) getContext()).getLogger(BatchingConsoleAppender.class);
        return new LoggingEvent(BatchingConsoleAppender.class.getName(), logger, Level.WARN,
                "BatchingConsoleAppender: " + lost + " log lines dropped: stdout did not take them in time", null, null);
    }
}

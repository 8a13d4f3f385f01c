package dev.herald.app.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.herald.app.config.HeraldConfig.LogFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The appender writes to {@code System.out}, which each test replaces with a sink of its own. */
class BatchingConsoleAppenderTest {
    private static final LoggerContext CONTEXT = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final PrintStream stdout = System.out;
    private final BatchingConsoleAppender console = new BatchingConsoleAppender();

    @AfterEach
    void restoreStdout() {
        console.stop();
        System.setOut(stdout);
    }

    @Test
    void everyLineReachesStdoutInOrderByTheTimeFlushReturns() {
        var sink = new ByteArrayOutputStream();
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        start();

        for (int i = 0; i < 5000; i++) {
            console.doAppend(event("line " + i));
        }

        assertThat(console.flush(Duration.ofSeconds(10))).isTrue();
        var lines = sink.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(5000);
        assertThat(lines.getFirst()).endsWith(" - line 0");
        assertThat(lines.getLast()).endsWith(" - line 4999");
    }

    @Test
    void stopWritesWhatIsQueuedBeforeItReturns() {
        var sink = new ByteArrayOutputStream();
        System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
        start();
        for (int i = 0; i < 1000; i++) {
            console.doAppend(event("line " + i));
        }

        console.stop();

        assertThat(sink.toString(StandardCharsets.UTF_8).lines()).hasSize(1000);
    }

    @Test
    void aStdoutThatTakesNothingCostsALoggingThreadAtMostTheWaitForRoomAndTheDropsAreReportedLater() throws Exception {
        var release = new CountDownLatch(1);
        var sink = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await(); // a pipe nobody reads
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (sink) {
                    sink.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
        start();

        // The writer blocks on its first batch, the queue fills, and from then on each line waits for room in vain.
        int dropped = 0;
        for (int i = 0; dropped < 3 && i < 4 * BatchingConsoleAppender.QUEUE_LINES; i++) {
            long started = System.nanoTime();
            console.doAppend(event("line " + i));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (took.compareTo(BatchingConsoleAppender.ROOM_WAIT) >= 0) {
                dropped++;
                assertThat(took).isLessThan(BatchingConsoleAppender.ROOM_WAIT.plusSeconds(2));
            }
        }
        assertThat(dropped).isEqualTo(3);
        release.countDown();
        console.doAppend(event("after"));
        assertThat(console.flush(Duration.ofSeconds(10))).isTrue();
        String written;
        synchronized (sink) {
            written = sink.toString(StandardCharsets.UTF_8);
        }
        assertThat(written).contains(" - line 0\n").contains(" - after\n")
                .containsPattern("WARN  \\[herald-log-writer] [^ ]+ +- BatchingConsoleAppender: 3 log lines dropped");
    }

    private void start() {
        console.setContext(CONTEXT);
        console.setEncoder(LogOutput.encoder(LogFormat.TEXT, CONTEXT));
        console.start();
    }

    private static LoggingEvent event(String message) {
        return new LoggingEvent("fqcn", CONTEXT.getLogger("dev.herald.http"), Level.INFO, message, null, null);
    }
}

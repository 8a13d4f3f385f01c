package dev.herald.reliability;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import dev.herald.app.config.HeraldConfig.LogFormat;
import dev.herald.app.ops.LogOutput;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every log line of the suite's JVM, encoded as Herald's console encodes it, plus the output files of the
 * Herald processes the suite started; the secrets case scans all of it.
 */
final class LogCapture {
    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<String> PROCESS_OUTPUTS = new ConcurrentLinkedQueue<>();
    private static volatile boolean installed;

    private LogCapture() {
    }

    /** Attaches the capturing appender to the root logger (idempotent). */
    static synchronized void install() {
        if (installed || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Encoder<ILoggingEvent> encoder = LogOutput.encoder(LogFormat.TEXT, context);
        var appender = new AppenderBase<ILoggingEvent>() {
            @Override
            protected void append(ILoggingEvent event) {
                LINES.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
            }
        };
        appender.setName("reliability-capture");
        appender.setContext(context);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        installed = true;
    }

    /** Keeps a Herald process's whole output (its temp dir is gone by the time the scan runs). */
    static void processOutput(Path file) {
        try {
            PROCESS_OUTPUTS.add(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static int lineCount() {
        return LINES.size();
    }

    /** The captured lines and the process outputs, as one text per source. */
    static List<String> texts() {
        var texts = new java.util.ArrayList<String>();
        texts.add(String.join("", LINES));
        texts.addAll(PROCESS_OUTPUTS);
        return texts;
    }

    static int processOutputCount() {
        return PROCESS_OUTPUTS.size();
    }
}

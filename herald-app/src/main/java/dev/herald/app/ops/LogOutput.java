package dev.herald.app.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.herald.app.config.HeraldConfig.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * Chooses the log line format at start: logback.xml sets up plain text on stdout (so the very first lines,
 * before the configuration is read, are readable); {@code log.format=json} swaps the console encoder for JSON.
 */
public final class LogOutput {
    static final String CONSOLE_APPENDER = "STDOUT";
    static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%thread] %logger{24} %X{request_id:-} - %msg%n";

    private LogOutput() {
    }

    /** Every later log line, in both formats, shows {@code secret} (the configured admin token) masked. */
    public static void mask(String secret) {
        SecretRedaction.maskLiterally(secret);
    }

    /**
     * Waits until the console wrote the lines logged so far (at most {@link BatchingConsoleAppender#STOP_WAIT}): call
     * before the JVM exits, since the console writes from a thread of its own.
     */
    public static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(CONSOLE_APPENDER)
                        instanceof BatchingConsoleAppender console) {
            console.flush(BatchingConsoleAppender.STOP_WAIT);
        }
    }

    /** Switches the console to {@code format}; a no-op when logback is not the SLF4J backend. */
    public static void use(LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(CONSOLE_APPENDER) instanceof OutputStreamAppender<ILoggingEvent> console) {
            boolean alreadyJson = console.getEncoder() instanceof RedactingJsonEncoder;
            if (alreadyJson == (format == LogFormat.JSON)) {
                return;
            }
            // Swapping the encoder of a started appender is what logback's own reconfiguration does; the
            // appender's lock keeps a line from being written half in one format, half in the other.
            console.setEncoder(encoder(format, context));
        }
    }

    /**
     * For a command other than {@code serve}: log lines go to stderr, at WARN unless {@code verbose}, so stdout
     * carries only the command's result for a script to read. Closing the returned scope restores the console.
     */
    public static AutoCloseable forCommand(boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { };
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        root.setLevel(verbose ? Level.INFO : Level.WARN);
        if (!(root.getAppender(CONSOLE_APPENDER) instanceof ConsoleAppender<ILoggingEvent> console)) {
            return () -> root.setLevel(level);
        }
        String target = console.getTarget();
        retarget(console, "System.err");
        return () -> {
            retarget(console, target);
            root.setLevel(level);
        };
    }

    /** A console appender reads its target only when it starts. */
    private static void retarget(ConsoleAppender<ILoggingEvent> console, String target) {
        console.stop();
        console.setTarget(target);
        console.start();
    }

    /** A started encoder for {@code format}, as the console uses it (tests attach it to their own appender). */
    public static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
        Encoder<ILoggingEvent> encoder = switch (format) {
            case JSON -> new RedactingJsonEncoder();
            case TEXT -> {
                var text = new RedactingPatternEncoder();
                text.setPattern(TEXT_PATTERN);
                yield text;
            }
        };
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}

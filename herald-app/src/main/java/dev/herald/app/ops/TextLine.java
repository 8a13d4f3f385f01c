package dev.herald.app.ops;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Herald's plain-text line ({@link LogOutput#TEXT_PATTERN}) written directly, byte for byte what logback's
 * {@code PatternLayout} makes of that pattern, at a fraction of its cost: the access log writes one per request, and
 * the layout's converter chain (date formatting every millisecond, logger-name abbreviation, padding, the MDC lookup
 * per converter) was most of the access log's CPU. The timestamp's date and time are formatted once per second, a
 * logger's abbreviated name once per logger; an exception is rendered by logback's own converter, as the layout does.
 * Thread-safe: log lines are encoded on the threads that log them.
 */
final class TextLine {
    private static final DateTimeFormatter TO_THE_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
    /** {@code %logger{24}}. */
    private static final int LOGGER_LENGTH = 24;
    private static final String REQUEST_ID = "request_id";
    /**
     * The line's characters besides the second's text ({@code yyyy-MM-ddTHH:mm:ss.}), message, thread, logger, request
     * id and exception: the milliseconds, {@code Z }, the level padded to five, {@code  [}, {@code ] }, a space,
     * {@code  - } and the line separator.
     */
    private static final int LINE_WITHOUT_FIELDS = 3 + 2 + 5 + 2 + 2 + 1 + 3 + CoreConstants.LINE_SEPARATOR.length();

    private final TargetLengthBasedClassNameAbbreviator abbreviator =
            new TargetLengthBasedClassNameAbbreviator(LOGGER_LENGTH);
    /** A process has a few dozen loggers: every name is abbreviated once. */
    private final Map<String, String> loggerNames = new ConcurrentHashMap<>();
    private final ThrowableProxyConverter exceptions = new ThrowableProxyConverter();
    /** The formatted second of the last line: lines come many per second, each reads it and one per second replaces it. */
    private volatile Second second = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {
    }

    TextLine(Context context) {
        exceptions.setContext(context);
        exceptions.start();
    }

    /**
     * The line's UTF-8 bytes with secrets masked ({@link SecretRedaction}) in each field that may carry one: the
     * message, the thread's name, the request id and the exception. A line of ASCII fields (nearly all) is written
     * straight into one array of its exact length, not joined in a builder, copied to a string and encoded: two
     * copies of every request's access line fewer. The masking sees each field apart, where it saw the whole line:
     * a match across fields ("bearer" ending one field) could only take in what follows it, a request id, a dash or
     * an exception's class name, never a secret.
     */
    byte[] encode(ILoggingEvent event) {
        String message = SecretRedaction.redact(String.valueOf(event.getFormattedMessage()));
        String thread = SecretRedaction.redact(String.valueOf(event.getThreadName()));
        String logger = SecretRedaction.redact(loggerNames.computeIfAbsent(event.getLoggerName(),
                abbreviator::abbreviate));
        Map<String, String> mdc = event.getMDCPropertyMap();
        String requestId = mdc == null ? null : mdc.get(REQUEST_ID);
        requestId = requestId == null ? "" : SecretRedaction.redact(requestId);
        String exception = event.getThrowableProxy() == null ? "" : SecretRedaction.redact(exceptions.convert(event));
        long millis = event.getTimeStamp();
        String time = second(Math.floorDiv(millis, 1000L));
        int milli = (int) Math.floorMod(millis, 1000L);
        String level = padded(event.getLevel().toString());
        if (!(ascii(message) && ascii(thread) && ascii(logger) && ascii(requestId) && ascii(exception))) {
            return (time + (char) ('0' + milli / 100) + (char) ('0' + milli / 10 % 10) + (char) ('0' + milli % 10)
                    + "Z " + level + " [" + thread + "] " + logger + " " + requestId + " - " + message
                    + CoreConstants.LINE_SEPARATOR + exception).getBytes(StandardCharsets.UTF_8);
        }
        var line = new byte[LINE_WITHOUT_FIELDS + time.length() + message.length() + thread.length() + logger.length()
                + requestId.length() + exception.length()];
        int at = put(line, 0, time);
        line[at++] = (byte) ('0' + milli / 100);
        line[at++] = (byte) ('0' + milli / 10 % 10);
        line[at++] = (byte) ('0' + milli % 10);
        line[at++] = 'Z';
        line[at++] = ' ';
        at = put(line, at, level);
        at = put(line, at, " [");
        at = put(line, at, thread);
        at = put(line, at, "] ");
        at = put(line, at, logger);
        line[at++] = ' ';
        at = put(line, at, requestId);
        at = put(line, at, " - ");
        at = put(line, at, message);
        at = put(line, at, CoreConstants.LINE_SEPARATOR);
        put(line, at, exception);
        return line;
    }

    /** The level padded to five characters ({@code %-5level}); logback's own levels without a new string. */
    private static String padded(String level) {
        return switch (level) {
            case "INFO" -> "INFO ";
            case "WARN" -> "WARN ";
            default -> level.length() >= 5 ? level : level + " ".repeat(5 - level.length());
        };
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Writes ASCII {@code text} at {@code at}; returns the index after it. */
    private static int put(byte[] line, int at, String text) {
        for (int i = 0; i < text.length(); i++) {
            line[at + i] = (byte) text.charAt(i);
        }
        return at + text.length();
    }

    private String second(long epochSecond) {
        Second last = second;
        if (last.epochSecond() != epochSecond) {
            last = new Second(epochSecond, TO_THE_SECOND.format(Instant.ofEpochSecond(epochSecond)));
            second = last;
        }
        return last.text();
    }
}

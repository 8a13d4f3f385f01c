package dev.herald.app.ops;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;

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
     * The line's characters besides the message, thread, logger and request id: {@code yyyy-MM-ddTHH:mm:ss.SSSZ },
     * the level padded to five, {@code  [}, {@code ] }, a space, {@code  - } and the line separator.
     */
    private static final int LINE_WITHOUT_FIELDS = 25 + 5 + 2 + 2 + 1 + 3 + CoreConstants.LINE_SEPARATOR.length();

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

    String format(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        String thread = event.getThreadName();
        String logger = loggerNames.computeIfAbsent(event.getLoggerName(), abbreviator::abbreviate);
        Map<String, String> mdc = event.getMDCPropertyMap();
        String requestId = mdc == null ? null : mdc.get(REQUEST_ID);
        // Sized for the whole line (an exception's trace aside), so the builder never grows: a grown builder copies
        // the line once more, and the access log's lines outgrew a fixed guess on virtual threads' long names.
        var line = new StringBuilder(LINE_WITHOUT_FIELDS + (message == null ? 4 : message.length())
                + (thread == null ? 4 : thread.length()) + logger.length()
                + (requestId == null ? 0 : requestId.length()));
        long millis = event.getTimeStamp();
        line.append(second(Math.floorDiv(millis, 1000L)));
        int milli = (int) Math.floorMod(millis, 1000L);
        line.append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10)).append((char) ('0' + milli % 10))
                .append('Z').append(' ');
        String level = event.getLevel().toString();
        line.append(level);
        for (int pad = level.length(); pad < 5; pad++) {
            line.append(' ');
        }
        line.append(" [").append(thread).append("] ");
        line.append(logger).append(' ');
        if (requestId != null) {
            line.append(requestId);
        }
        line.append(" - ").append(message).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) {
            line.append(exceptions.convert(event));
        }
        return line.toString();
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

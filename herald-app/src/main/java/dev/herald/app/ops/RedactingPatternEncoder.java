package dev.herald.app.ops;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Plain-text log lines (the default format) with secrets masked. Herald's own pattern ({@link LogOutput#TEXT_PATTERN},
 * as logback.xml configures it) is written by {@link TextLine}, the same bytes for less CPU; any other pattern goes
 * through logback's layout.
 */
public final class RedactingPatternEncoder extends PatternLayoutEncoder {
    private volatile Optional<TextLine> herald = Optional.empty();

    @Override
    public void start() {
        super.start();
        herald = LogOutput.TEXT_PATTERN.equals(getPattern()) ? Optional.of(new TextLine(getContext())) : Optional.empty();
    }

    /** One copy from the line to its bytes (the layout's own encode would add two more). */
    @Override
    public byte[] encode(ILoggingEvent event) {
        String line = herald.isPresent() ? herald.get().format(event) : layout.doLayout(event);
        return SecretRedaction.redact(line).getBytes(StandardCharsets.UTF_8);
    }
}

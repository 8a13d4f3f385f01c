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

    /** Herald's pattern straight to bytes; another pattern's line with one copy to its bytes. */
    @Override
    public byte[] encode(ILoggingEvent event) {
        if (herald.isPresent()) {
            return herald.get().encode(event);
        }
        return SecretRedaction.redact(layout.doLayout(event)).getBytes(StandardCharsets.UTF_8);
    }
}

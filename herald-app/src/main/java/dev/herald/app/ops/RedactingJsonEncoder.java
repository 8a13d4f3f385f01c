package dev.herald.app.ops;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.nio.charset.StandardCharsets;

/** One JSON object per log line ({@code log.format=json}), MDC included, with secrets masked. */
public final class RedactingJsonEncoder extends JsonEncoder {
    public RedactingJsonEncoder() {
        // The formatted message only: the raw pattern plus an argument array is hard to read and search.
        setWithFormattedMessage(true);
        setWithMessage(false);
        setWithArguments(false);
        setWithContext(false);
        setWithSequenceNumber(false);
        setWithNanoseconds(false);
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return SecretRedaction.redact(new String(super.encode(event), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
}

package dev.herald.app.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TextLineTest {
    private static final LoggerContext CONTEXT = new LoggerContext();

    private record Case(String logger, Level level, String thread, long millis, Map<String, String> mdc,
                        Throwable thrown, String path) {
        Case(String logger, Level level, String thread, long millis, Map<String, String> mdc, Throwable thrown) {
            this(logger, level, thread, millis, mdc, thrown, "/v1/endpoints");
        }

        @Override
        public String toString() {
            return logger + " " + level + " at " + millis + (thrown == null ? "" : " with " + thrown);
        }
    }

    static Stream<Case> cases() {
        var failure = new IllegalStateException("store: timeout", new java.io.IOException("connection reset"));
        return Stream.of(
                new Case("dev.herald.http", Level.INFO, "qtp1-42", 1_796_000_000_123L, Map.of("request_id", "req_9f"), null),
                new Case("dev.herald.delivery.engine.DeliveryEngine", Level.DEBUG, "herald-delivery-1", 1_796_000_000_005L,
                        Map.of(), null),
                new Case("dev.herald.app.ops.RetentionPurger", Level.WARN, "main", 1_796_000_001_045L,
                        Map.of("other", "x"), null),
                new Case("Herald", Level.ERROR, "herald-shutdown", 1_796_000_001_999L, Map.of("request_id", "r"), failure),
                new Case("org.eclipse.jetty.server.handler.ContextHandler", Level.TRACE, "t", 0L, Map.of(), null),
                // a year of five digits: the second's text is longer than usual
                new Case("dev.herald.http", Level.INFO, "w", 253_402_300_800_123L, Map.of(), null),
                // not ASCII: the message, the thread's name, the request id, the exception
                new Case("dev.herald.http", Level.INFO, "wörker-1", 1_796_000_000_123L, Map.of("request_id", "req_9f"),
                        null, "/v1/événements/😀"),
                new Case("dev.herald.http", Level.INFO, "w", 1_796_000_000_123L, Map.of("request_id", "réq"), null),
                new Case("Herald", Level.ERROR, "w", 1_796_000_000_123L, Map.of(),
                        new IllegalStateException("naïve ✓")),
                // secrets, masked wherever they are
                new Case("dev.herald.http", Level.INFO, "w", 1_796_000_000_123L,
                        Map.of("request_id", "sk_live_abcdef123"), null, "/v1/keys/sk_live_abcdef123?x=whsec_Zm9v"),
                new Case("dev.herald.http", Level.WARN, "Bearer sk_platform_x1 w", 1_796_000_000_123L, Map.of(),
                        new IllegalStateException("Authorization: Bearer hk_secret_token, password=hunter2&x")),
                new Case("dev.herald.http", Level.INFO, "w", 1_796_000_000_123L, Map.of(), null,
                        "/v1/bearer  tok3n/é"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void writesTheSameBytesAsLogbacksLayoutOfTheSamePatternMasked(Case c) {
        var layout = new PatternLayout();
        layout.setContext(CONTEXT);
        layout.setPattern(LogOutput.TEXT_PATTERN);
        layout.start();
        var event = new LoggingEvent("fqcn", CONTEXT.getLogger(c.logger()), c.level(), "http: {} {} {}", c.thrown(),
                new Object[]{"GET", c.path(), 200});
        event.setThreadName(c.thread());
        event.setTimeStamp(c.millis());
        event.setMDCPropertyMap(c.mdc());

        byte[] expected = SecretRedaction.redact(layout.doLayout(event)).getBytes(StandardCharsets.UTF_8);
        assertThat(new String(new TextLine(CONTEXT).encode(event), StandardCharsets.UTF_8))
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(new TextLine(CONTEXT).encode(event)).isEqualTo(expected);
        assertThat(new String(expected, StandardCharsets.UTF_8))
                .doesNotContain("abcdef123", "Zm9v", "sk_platform_x1", "hk_secret_token", "hunter2", "tok3n");
    }

    @Test
    void logbackXmlConfiguresTheConsoleWithHeraldsOwnPattern() throws IOException {
        try (InputStream xml = TextLineTest.class.getResourceAsStream("/logback.xml")) {
            assertThat(new String(xml.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("<pattern>" + LogOutput.TEXT_PATTERN + "</pattern>")
                    .contains("class=\"dev.herald.app.ops.BatchingConsoleAppender\"");
        }
    }
}

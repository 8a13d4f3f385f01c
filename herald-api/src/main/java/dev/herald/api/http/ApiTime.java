package dev.herald.api.http;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** RFC 3339 UTC timestamps as the dialects show them: whole seconds, or milliseconds (API Mall). */
public final class ApiTime {
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private ApiTime() {
    }

    /** {@code 2024-01-15T10:00:00Z}. */
    public static String seconds(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@code 2026-03-12T09:55:00.000Z}. */
    public static String millis(Instant instant) {
        return MILLIS.format(instant);
    }

    /** Parses an RFC 3339 timestamp with any offset; empty when malformed. */
    public static Optional<Instant> parse(String text) {
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

package dev.herald.api.http;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.delivery.publish.WirePayload;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * RFC 3339 UTC timestamps as the dialects show them (whole seconds, or milliseconds on API Mall), and the one
 * reader of timestamps a caller sends: RFC 3339 years have four digits, so anything outside 0000-9999 is refused
 * here, before a time the store cannot hold as epoch milliseconds reaches it.
 */
public final class ApiTime {
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private ApiTime() {
    }

    /** {@code 2024-01-15T10:00:00Z}: the spelling of a delivered event's timestamp, without a formatter. */
    public static String seconds(Instant instant) {
        return WirePayload.timestamp(instant);
    }

    /** {@code 2026-03-12T09:55:00.000Z}. */
    public static String millis(Instant instant) {
        return MILLIS.format(instant);
    }

    /** Parses an RFC 3339 timestamp with any offset; empty when malformed or its year is not four digits. */
    public static Optional<Instant> parse(String text) {
        try {
            var time = java.time.OffsetDateTime.parse(text);
            return time.getYear() < 0 || time.getYear() > 9999 ? Optional.empty() : Optional.of(time.toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The timestamp in {@code field}, or {@code 400 invalid_request} naming the field. */
    public static Instant parse(String field, String text) {
        return parse(text).orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST, field, field
                + " must be an RFC 3339 timestamp between years 0000 and 9999, such as 2024-01-15T10:00:00Z"));
    }
}

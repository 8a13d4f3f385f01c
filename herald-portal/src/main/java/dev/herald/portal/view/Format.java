package dev.herald.portal.view;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.service.delivery.DeliveryHistoryService.Activity;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** How the pages write times, rates and statuses; in UTC, so every viewer reads the same time as the API gives. */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    public static String time(Optional<Instant> instant) {
        return instant.map(Format::time).orElse("—");
    }

    /** A value for a {@code datetime-local} input (UTC). */
    public static String inputTime(Instant instant) {
        return INPUT.format(instant);
    }

    /** The instant a {@code datetime-local} input names (read as UTC, as the page shows); empty when it names none. */
    public static Optional<Instant> parseInputTime(String text) {
        try {
            return Optional.of(LocalDateTime.parse(text == null ? "" : text.strip()).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static String successRate(Activity activity) {
        return activity.successRate().isEmpty() ? "—"
                : String.format(java.util.Locale.ROOT, "%.0f %%", activity.successRate().getAsDouble() * 100);
    }

    public static String duration(long millis) {
        return millis < 1000 ? millis + " ms"
                : String.format(java.util.Locale.ROOT, "%.1f s", Duration.ofMillis(millis).toMillis() / 1000.0);
    }

    public static String status(Attempt attempt) {
        return attempt.responseStatus().isPresent() ? Integer.toString(attempt.responseStatus().getAsInt()) : "—";
    }

    public static String errorClass(Attempt attempt) {
        return attempt.errorClass().map(e -> e.wireName()).orElse("—");
    }

    /** What a person can do to an endpoint in this status, besides editing and deleting it. */
    public static String statusHint(EndpointStatus status) {
        return switch (status) {
            case ACTIVE -> "Receiving events.";
            case PAUSED -> "Paused: events are held and go out when you resume.";
            case FAILING -> "Failing: recent attempts failed; Herald keeps trying.";
            case DISABLED -> "Disabled: nothing is sent until you re-enable it.";
        };
    }
}

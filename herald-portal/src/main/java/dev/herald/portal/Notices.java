package dev.herald.portal;

import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;

/**
 * What a page says after an action redirected to it: the action's name travels in {@code ?done=}, and only these
 * fixed texts are shown, so a link cannot make the portal display words of its own.
 */
final class Notices {
    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry("created", "Endpoint added. Reveal its signing secret below to verify deliveries."),
            Map.entry("saved", "Changes saved."),
            Map.entry("paused", "Endpoint paused: events are held until you resume it."),
            Map.entry("active", "Endpoint active: held and new events are delivered."),
            Map.entry("deleted", "Endpoint deleted."),
            Map.entry("retried", "Retry started: the delivery is due now."),
            Map.entry("recovered", "Failed deliveries since that time are being sent again."));

    private Notices() {
    }

    static Optional<String> of(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("done")).map(TEXTS::get);
    }

    static String redirect(String path, String notice) {
        if (!TEXTS.containsKey(notice)) {
            throw new IllegalArgumentException("no notice " + notice);
        }
        return path + "?done=" + notice;
    }
}

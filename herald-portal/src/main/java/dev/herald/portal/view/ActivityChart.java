package dev.herald.portal.view;

import dev.herald.service.delivery.DeliveryHistoryService.Activity;
import dev.herald.store.DeliveryHistory.HourCount;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The 24-hour chart of an endpoint's attempts, drawn on the server as SVG bars: per hour, successes stacked on
 * failures, scaled to the busiest hour. Only numbers reach the SVG, computed here.
 */
public record ActivityChart(List<Bar> bars, long peak, String summary) {
    public static final int WIDTH = 600;
    public static final int HEIGHT = 120;
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /** One hour's bar: its x position and width, and each part's y and height (SVG user units). */
    public record Bar(int x, int width, int successY, int successHeight, int failureY, int failureHeight,
                      String label) {
    }

    public static ActivityChart of(Activity activity) {
        List<HourCount> hours = activity.hours();
        long peak = Math.max(1, hours.stream().mapToLong(h -> h.successes() + h.failures()).max().orElse(0));
        int slot = WIDTH / hours.size();
        var bars = new ArrayList<Bar>();
        for (HourCount h : hours) {
            int failureHeight = (int) Math.round((double) h.failures() / peak * HEIGHT);
            int successHeight = (int) Math.round((double) h.successes() / peak * HEIGHT);
            int failureY = HEIGHT - failureHeight;
            String label = HOUR.format(activity.from().plus(Duration.ofHours(h.hour()))) + " UTC: " + h.successes()
                    + " succeeded, " + h.failures() + " failed";
            bars.add(new Bar(h.hour() * slot + 1, slot - 2, failureY - successHeight, successHeight, failureY,
                    failureHeight, label));
        }
        String summary = "Attempts in the last 24 hours: " + activity.successes() + " succeeded, " + activity.failures()
                + " failed.";
        return new ActivityChart(List.copyOf(bars), peak, summary);
    }
}

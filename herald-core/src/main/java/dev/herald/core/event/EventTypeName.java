package dev.herald.core.event;

import java.util.regex.Pattern;

/** Rules for event type names: dotted lowercase words such as {@code job.completed} or {@code delivered}. */
public final class EventTypeName {
    private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9_\\-]*(\\.[a-z0-9][a-z0-9_\\-]*)*");

    private EventTypeName() {
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= 128 && SHAPE.matcher(name).matches();
    }
}

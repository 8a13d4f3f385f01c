package dev.herald.core.error;

/**
 * Caller-supplied text (a field name, a header name, an event type) made safe to repeat in an error message:
 * non-printable characters become {@code ?} and long text is cut, so errors never carry control characters or
 * unbounded input back to the caller or into logs.
 */
public final class EchoedText {
    public static final int MAX_CHARS = 64;

    private EchoedText() {
    }

    public static String of(String text) {
        String cleaned = text.replaceAll("[^\\x20-\\x7e]", "?");
        return cleaned.length() > MAX_CHARS ? cleaned.substring(0, MAX_CHARS) + "…" : cleaned;
    }
}

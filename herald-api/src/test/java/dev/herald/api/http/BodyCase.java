package dev.herald.api.http;

import java.nio.charset.StandardCharsets;

/** A request body a parsing test reads, named in the test report by its text (cut at 120 characters). */
public record BodyCase(String name, byte[] body) {
    /** {@code body} as UTF-8, named by itself. */
    public static BodyCase json(String body) {
        String name = body.isBlank() ? "blank " + body.length() : body;
        return new BodyCase(name.length() > 120 ? name.substring(0, 120) + "… (" + body.length() + ")" : name,
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return name;
    }
}

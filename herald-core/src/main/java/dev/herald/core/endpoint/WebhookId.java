package dev.herald.core.endpoint;

import dev.herald.core.id.RandomIds;

/** The public id of an endpoint on the canonical surface: {@code wh_} + random base62. */
public record WebhookId(String value) {
    public static final String PREFIX = "wh_";

    public WebhookId {
        if (!RandomIds.hasShape(value, PREFIX)) {
            throw new IllegalArgumentException("webhook id must look like wh_…");
        }
    }

    public static WebhookId generate() {
        return new WebhookId(RandomIds.next(PREFIX, 24));
    }

    public static boolean isValid(String value) {
        return RandomIds.hasShape(value, PREFIX);
    }

    @Override
    public String toString() {
        return value;
    }
}

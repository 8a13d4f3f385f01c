package dev.herald.service.endpoint;

import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.WebhookId;

import java.util.Optional;
import java.util.UUID;

/** How a dialect names an endpoint: {@code wh_…} (canonical), an integer (API Mall) or a UUID (Midmarket). */
public sealed interface EndpointRef {
    record Public(WebhookId id) implements EndpointRef {
    }

    record Numeric(EndpointId id) implements EndpointRef {
    }

    record Uuid(UUID id) implements EndpointRef {
    }

    /** The platform's own uid for the endpoint. */
    record Uid(String uid) implements EndpointRef {
    }

    /** A canonical path id; empty when it cannot name any endpoint (answered as not found). */
    static Optional<EndpointRef> publicId(String text) {
        return WebhookId.isValid(text) ? Optional.of(new Public(new WebhookId(text))) : Optional.empty();
    }

    static Optional<EndpointRef> numeric(String text) {
        try {
            long v = Long.parseLong(text);
            return v > 0 ? Optional.of(new Numeric(new EndpointId(v))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<EndpointRef> uuid(String text) {
        try {
            return text.length() == 36 ? Optional.of(new Uuid(UUID.fromString(text))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

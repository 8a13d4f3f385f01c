package dev.herald.store;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.EventFormat;

import java.util.Objects;
import java.util.Optional;

/**
 * A delivery this node holds a lease on, with the event's exact wire payload (encoded once, see
 * {@link EncodedPayload}) and the trace context its publish stored (W3C {@code traceparent}; empty when it was
 * published untraced).
 */
public record ClaimedDelivery(Delivery delivery, EncodedPayload body, Optional<String> traceContext,
                              EventFormat format) {
    public ClaimedDelivery {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(traceContext, "traceContext");
    }

    /** The event's wire payload as text. */
    public String payload() {
        return body.text();
    }
}

package dev.herald.store;

import dev.herald.core.event.Event;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An event to store with the deliveries its fan-out produced.
 *
 * @param traceContext the W3C {@code traceparent} of the publish, when tracing is on; its attempts continue it
 */
public record EventDraft(Event event, List<DeliveryDraft> deliveries, Optional<String> traceContext) {
    public EventDraft {
        Objects.requireNonNull(event, "event");
        deliveries = List.copyOf(deliveries);
        Objects.requireNonNull(traceContext, "traceContext");
    }

    /** An event published without a trace. */
    public EventDraft(Event event, List<DeliveryDraft> deliveries) {
        this(event, deliveries, Optional.empty());
    }
}

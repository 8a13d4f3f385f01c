package dev.herald.delivery.publish;

/** Accepts events: stores each with its fan-out durably before answering. */
public interface EventPublisher {
    /**
     * Stores the event and one delivery per subscribed endpoint in one transaction and returns once that is
     * durable. A repeat (same event id or idempotency key) returns the original event and fans out nothing.
     *
     * @throws dev.herald.core.error.HeraldException {@code invalid_events} for a type outside the catalog,
     *                                               {@code invalid_request} when data is not a JSON object
     */
    PublishReceipt publish(PublishRequest request);
}

package dev.herald.delivery.publish;

import java.util.List;

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

    /**
     * Stores every acceptable event of {@code requests} in one transaction, as {@link #publish} stores one, and
     * returns once that is durable. A request refused on its own (a type outside the catalog) is answered with
     * its error and stores nothing; the others are stored. Outcomes are in the order of {@code requests}.
     *
     * @throws dev.herald.core.error.HeraldException when the batch as a whole cannot be stored
     *                                               ({@code store_unavailable})
     */
    List<PublishOutcome> publishAll(List<PublishRequest> requests);
}

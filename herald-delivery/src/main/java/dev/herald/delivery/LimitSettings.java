package dev.herald.delivery;

/**
 * How much is sent at once, so one slow endpoint cannot take the node.
 *
 * @param maxConcurrencyPerEndpoint requests in flight to one endpoint at most
 * @param maxInFlight               requests in flight on this node at most
 */
public record LimitSettings(int maxConcurrencyPerEndpoint, int maxInFlight) {
    public LimitSettings {
        if (maxConcurrencyPerEndpoint < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("concurrency limits must be positive");
        }
    }
}

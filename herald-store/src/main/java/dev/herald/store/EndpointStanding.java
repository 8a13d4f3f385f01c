package dev.herald.store;

import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;

import java.util.Objects;

/**
 * An endpoint as a batch of attempt results left it, read in the batch's own transaction: its counters, and its
 * status and circuit as stored. A node's cached copy of the endpoint can be older than both (another node may have
 * opened its circuit a moment ago), so what follows a batch is decided on these.
 */
public record EndpointStanding(EndpointStats stats, EndpointStatus status, Circuit circuit) {
    public EndpointStanding {
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(circuit, "circuit");
    }
}

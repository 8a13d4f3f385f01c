package dev.herald.store;

import dev.herald.core.endpoint.EndpointId;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one claim of due deliveries took, oldest due first, and the endpoints whose due deliveries it left unclaimed
 * because the claimer had no more room for them: a claimer that wants more of those waits until it has room.
 */
public record DueClaim(List<ClaimedDelivery> claimed, Set<EndpointId> leftFor) {
    public DueClaim {
        claimed = List.copyOf(Objects.requireNonNull(claimed, "claimed"));
        leftFor = Set.copyOf(Objects.requireNonNull(leftFor, "leftFor"));
    }
}

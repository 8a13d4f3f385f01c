package dev.herald.service.endpoint;

import dev.herald.core.endpoint.Endpoint;

/** Hears of each endpoint created, changed or deleted through the endpoint service, on any surface. */
public interface EndpointLifecycle {
    EndpointLifecycle NONE = new EndpointLifecycle() {
    };

    default void created(Endpoint endpoint) {
    }

    default void updated(Endpoint endpoint) {
    }

    default void deleted(Endpoint endpoint) {
    }
}

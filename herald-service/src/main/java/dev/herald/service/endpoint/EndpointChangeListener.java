package dev.herald.service.endpoint;

import dev.herald.core.endpoint.EndpointId;

/** Told after an endpoint was created or its url, secrets, headers or status changed, so cached copies are dropped. */
@FunctionalInterface
public interface EndpointChangeListener {
    void endpointChanged(EndpointId id);
}

package dev.herald.portal.view;

import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.event.EventType;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The create or edit form as it is shown: the values (as typed, after a refused submit), the catalog to pick event
 * types from, and the service's message when it refused them.
 */
public record EndpointForm(Optional<Endpoint> existing, String url, String description, Set<String> events,
                           String rateLimit, String headers, List<EventType> catalog, Optional<String> error) {
    public String action() {
        return existing.map(e -> "/portal/endpoints/" + e.publicId().value()).orElse("/portal/endpoints");
    }

    public boolean allEvents() {
        return events.contains(Endpoint.ALL_EVENTS);
    }
}

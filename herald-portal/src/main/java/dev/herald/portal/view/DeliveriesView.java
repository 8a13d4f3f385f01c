package dev.herald.portal.view;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.event.EventType;
import dev.herald.store.Page;

import java.util.List;
import java.util.Optional;

/** An endpoint's deliveries as filtered (the filter's values as given, for the form and the next page's link). */
public record DeliveriesView(Endpoint endpoint, Page<Delivery> page, String status, String eventType, String since,
                             List<EventType> catalog, Optional<String> nextPage) {
}

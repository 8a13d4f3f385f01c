package dev.herald.portal.view;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.service.delivery.DeliveryHistoryService.Activity;

import java.time.Instant;
import java.util.List;

/** The endpoint detail page: the endpoint, its last 24 hours as numbers and as a chart, its recent deliveries. */
public record EndpointView(Endpoint endpoint, Activity activity, ActivityChart chart, List<Delivery> recent,
                           Instant recoverSince) {
    public String path() {
        return "/portal/endpoints/" + endpoint.publicId().value();
    }
}

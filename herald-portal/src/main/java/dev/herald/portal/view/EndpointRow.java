package dev.herald.portal.view;

import dev.herald.core.endpoint.Endpoint;
import dev.herald.service.delivery.DeliveryHistoryService.Activity;

/** One line of the endpoints list: the endpoint and its last 24 hours. */
public record EndpointRow(Endpoint endpoint, Activity activity) {
}

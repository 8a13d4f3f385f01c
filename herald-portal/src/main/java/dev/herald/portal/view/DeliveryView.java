package dev.herald.portal.view;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.Endpoint;

import java.util.List;
import java.util.Optional;

/** One delivery: its payload as sent and every attempt, newest last. */
public record DeliveryView(Delivery delivery, Optional<Endpoint> endpoint, String payload, List<Attempt> attempts) {
}

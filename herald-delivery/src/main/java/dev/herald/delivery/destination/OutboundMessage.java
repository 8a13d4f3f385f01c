package dev.herald.delivery.destination;

import dev.herald.core.destination.Destination;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt's message, the same for every destination type: the stored body, byte-identical on every retry,
 * and the headers (Standard Webhooks {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature},
 * Herald's own signature and the endpoint's custom headers) that brokers carry as headers, properties or fields.
 *
 * @param url the endpoint's URL: the webhook's receiver, or the broker's address without credentials
 */
public record OutboundMessage(Destination destination, URI url, String eventId, String eventType,
                              Map<String, String> headers, byte[] body) {
    public OutboundMessage {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** {@code template} (a routing key or subject) with {@code {type}} replaced by the event type. */
    public String routed(String template) {
        return template.replace(dev.herald.core.destination.DestinationRules.TYPE_PLACEHOLDER, eventType);
    }
}

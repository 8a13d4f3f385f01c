package dev.herald.core.destination;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where an endpoint's deliveries go: its own URL over HTTP ({@link Webhook}), or a broker with its validated
 * {@code config}. Broker addresses are kept without their user-info; the credentials travel beside them as a
 * {@link BrokerCredentials} secret, so showing or storing {@link #config()} never exposes them.
 */
public sealed interface Destination {
    Destination WEBHOOK = new Webhook();

    DestinationType type();

    /** The broker's address without credentials; empty for webhooks, whose address is the endpoint URL. */
    Optional<URI> address();

    Optional<BrokerCredentials> credentials();

    /**
     * The config without credentials, in the API's field names, numbers as numbers: what the store keeps in
     * the endpoint's config column. {@link #shownConfig()} is what responses show.
     */
    Map<String, Object> config();

    /** The config as responses show it: the address carries {@code ***@} where credentials were given. */
    default Map<String, Object> shownConfig() {
        var shown = new LinkedHashMap<>(config());
        if (credentials().isPresent() && address().isPresent()) {
            shown.put(addressField(), withUserInfo(address().get(), BrokerCredentials.REDACTED).toString());
        }
        return shown;
    }

    /** The config field that holds the broker address ({@code uri} or {@code url}); empty string for webhooks. */
    default String addressField() {
        return "";
    }

    /** {@code address} with its user-info replaced by {@code userInfo}, raw (already percent-encoded). */
    static URI withUserInfo(URI address, String userInfo) {
        try {
            String authority = userInfo + "@" + address.getRawAuthority();
            return new URI(address.getScheme() + "://" + authority + Optional.ofNullable(address.getRawPath()).orElse("")
                    + (address.getRawQuery() == null ? "" : "?" + address.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker address cannot carry credentials", e);
        }
    }

    /** Today's behaviour: a signed HTTP POST to the endpoint's URL. */
    record Webhook() implements Destination {
        @Override
        public DestinationType type() {
            return DestinationType.WEBHOOK;
        }

        @Override
        public Optional<URI> address() {
            return Optional.empty();
        }

        @Override
        public Optional<BrokerCredentials> credentials() {
            return Optional.empty();
        }

        @Override
        public Map<String, Object> config() {
            return Map.of();
        }
    }

    /**
     * A RabbitMQ exchange: persistent messages, published with confirms.
     *
     * @param routingKey may contain {@code {type}}, replaced by the event type
     */
    record RabbitMq(URI uri, Optional<BrokerCredentials> credentials, String exchange, String routingKey)
            implements Destination {
        public RabbitMq {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(exchange, "exchange");
            Objects.requireNonNull(routingKey, "routingKey");
        }

        @Override
        public DestinationType type() {
            return DestinationType.RABBITMQ;
        }

        @Override
        public Optional<URI> address() {
            return Optional.of(uri);
        }

        @Override
        public String addressField() {
            return "uri";
        }

        @Override
        public Map<String, Object> config() {
            var config = new LinkedHashMap<String, Object>();
            config.put("uri", uri.toString());
            config.put("exchange", exchange);
            config.put("routing_key", routingKey);
            return config;
        }
    }

    /**
     * A NATS JetStream subject: published with acknowledgement, {@code Nats-Msg-Id} set to the event id.
     *
     * @param subject may contain {@code {type}}, replaced by the event type
     */
    record Nats(URI url, Optional<BrokerCredentials> credentials, String subject) implements Destination {
        public Nats {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(subject, "subject");
        }

        @Override
        public DestinationType type() {
            return DestinationType.NATS;
        }

        @Override
        public Optional<URI> address() {
            return Optional.of(url);
        }

        @Override
        public String addressField() {
            return "url";
        }

        @Override
        public Map<String, Object> config() {
            var config = new LinkedHashMap<String, Object>();
            config.put("url", url.toString());
            config.put("subject", subject);
            return config;
        }
    }

    /**
     * A Redis stream, appended to with {@code XADD}.
     *
     * @param maxlen when present, the stream is trimmed to about this many entries ({@code MAXLEN ~})
     */
    record RedisStream(URI url, Optional<BrokerCredentials> credentials, String stream, OptionalLong maxlen)
            implements Destination {
        public RedisStream {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(maxlen, "maxlen");
        }

        @Override
        public DestinationType type() {
            return DestinationType.REDIS_STREAM;
        }

        @Override
        public Optional<URI> address() {
            return Optional.of(url);
        }

        @Override
        public String addressField() {
            return "url";
        }

        @Override
        public Map<String, Object> config() {
            var config = new LinkedHashMap<String, Object>();
            config.put("url", url.toString());
            config.put("stream", stream);
            if (maxlen.isPresent()) {
                config.put("maxlen", maxlen.getAsLong());
            }
            return config;
        }
    }
}

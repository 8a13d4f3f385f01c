package dev.herald.delivery.destination.broker;

import dev.herald.core.destination.BrokerCredentials;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What makes two destinations share a connection: the same broker address and the same credentials. Its
 * {@code toString} shows the credentials redacted, so a key may be logged.
 */
public record ConnectionKey(URI address, Optional<BrokerCredentials> credentials) {
    public ConnectionKey {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(credentials, "credentials");
    }
}

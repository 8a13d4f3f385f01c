package dev.herald.core.endpoint;

import dev.herald.core.signing.SigningSecret;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One signing secret of an endpoint. During a rotation the old secret gets an {@code expiresAt} and
 * both are used to sign until then.
 */
public record EndpointSecret(long id, EndpointId endpointId, SigningSecret secret, Instant createdAt,
                             Optional<Instant> expiresAt) {
    public EndpointSecret {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}

package dev.herald.service.endpoint;

import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.signing.SigningSecret;

/** A new endpoint with its secret, which only the create response shows. */
public record CreatedEndpoint(Endpoint endpoint, SigningSecret secret) {
}

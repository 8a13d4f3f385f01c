package dev.herald.portal.view;

import dev.herald.core.endpoint.EndpointSecret;

import java.util.List;

/** An endpoint's signing secrets once revealed, newest first; after a rotation the old one shows its expiry. */
public record SecretsView(String endpointPath, List<EndpointSecret> secrets, boolean rotated) {
}

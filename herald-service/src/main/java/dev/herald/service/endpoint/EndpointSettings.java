package dev.herald.service.endpoint;

import dev.herald.core.outbound.UrlPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * The deployment's rules for endpoints: which URLs may be registered, the timestamped signature header's name
 * (custom headers may not shadow it) and how long a rotated-out secret keeps signing.
 */
public record EndpointSettings(UrlPolicy urlPolicy, String signatureHeader, Duration rotationOverlap) {
    public EndpointSettings {
        Objects.requireNonNull(urlPolicy, "urlPolicy");
        Objects.requireNonNull(signatureHeader, "signatureHeader");
        if (rotationOverlap.isNegative()) {
            throw new IllegalArgumentException("rotation overlap must not be negative");
        }
    }
}

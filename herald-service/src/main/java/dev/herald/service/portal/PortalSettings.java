package dev.herald.service.portal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How portal links and sessions are made: the base URL a link starts with when one is configured
 * ({@code portal.public-url}; otherwise the origin the platform called), how long a link may wait to be opened
 * ({@code portal.link-ttl}) and how long a session lasts ({@code portal.session-ttl}).
 */
public record PortalSettings(Optional<URI> publicUrl, Duration linkTtl, Duration sessionTtl) {
    public static final Duration DEFAULT_LINK_TTL = Duration.ofMinutes(15);
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);

    public PortalSettings {
        Objects.requireNonNull(publicUrl, "publicUrl");
        if (linkTtl.isNegative() || linkTtl.isZero() || sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("portal link and session lifetimes must be positive");
        }
    }

    public static PortalSettings defaults() {
        return new PortalSettings(Optional.empty(), DEFAULT_LINK_TTL, DEFAULT_SESSION_TTL);
    }
}

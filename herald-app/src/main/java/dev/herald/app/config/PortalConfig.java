package dev.herald.app.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The customer portal's settings ({@code portal.*}): where links point, how long links and sessions last, its
 * branding, and which sites may embed it in a frame.
 */
public record PortalConfig(Optional<URI> publicUrl, Duration linkTtl, Duration sessionTtl, String title,
                           Optional<URI> logoUrl, String accentColor, String frameAncestors) {
    public PortalConfig {
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(logoUrl, "logoUrl");
        Objects.requireNonNull(accentColor, "accentColor");
        Objects.requireNonNull(frameAncestors, "frameAncestors");
    }
}

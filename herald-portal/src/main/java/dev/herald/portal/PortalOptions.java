package dev.herald.portal;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How the portal looks and where it may be shown: its title, logo and accent colour (the platform's branding), and
 * the CSP {@code frame-ancestors} sources that may embed it. Values are checked by the configuration loader.
 */
public record PortalOptions(String title, Optional<URI> logoUrl, String accentColor, String frameAncestors) {
    public PortalOptions {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(logoUrl, "logoUrl");
        Objects.requireNonNull(accentColor, "accentColor");
        Objects.requireNonNull(frameAncestors, "frameAncestors");
    }
}

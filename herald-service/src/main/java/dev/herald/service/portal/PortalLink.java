package dev.herald.service.portal;

import java.net.URI;
import java.util.Objects;

/** A minted portal link: the URL to open and the single-use token in it (the Svix {@code {url, token}} answer). */
public record PortalLink(URI url, String token) {
    public PortalLink {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
    }

    /** Never print the token. */
    @Override
    public String toString() {
        return "PortalLink[" + url.getPath() + "]";
    }
}

package dev.herald.portal.view;

import dev.herald.portal.PortalOptions;

import java.util.Objects;
import java.util.Optional;

/**
 * What every page's frame shows: the page's title, the branding, which section of the navigation is current, the
 * session's CSRF token for its forms (empty on pages outside a session), and a notice after an action.
 */
public record Frame(String pageTitle, PortalOptions options, Section section, Optional<String> csrf,
                    Optional<String> notice) {
    /** The sections of the navigation. */
    public enum Section { ENDPOINTS, CATALOG, NONE }

    public Frame {
        Objects.requireNonNull(pageTitle, "pageTitle");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(csrf, "csrf");
        Objects.requireNonNull(notice, "notice");
    }

    public String csrfToken() {
        return csrf.orElse("");
    }

    public boolean signedIn() {
        return csrf.isPresent();
    }

    public Frame withNotice(String text) {
        return new Frame(pageTitle, options, section, csrf, Optional.of(text));
    }
}

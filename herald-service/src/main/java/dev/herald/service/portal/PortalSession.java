package dev.herald.service.portal;

import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.account.Caller;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in portal session: its token (the cookie's value), the caller every page acts as (one account, with the
 * account's portal key) and when it ends.
 */
public record PortalSession(String token, Caller caller, Instant expiresAt) {
    public PortalSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * The CSRF token of this session's forms: derived from the session token, which the page's script cannot read
     * (the cookie is HttpOnly), so another site can neither read nor forge it; no second value is stored.
     */
    public String csrfToken() {
        return ApiKeyToken.sha256Hex("herald-portal-csrf:" + token);
    }

    /** Never print the token. */
    @Override
    public String toString() {
        return "PortalSession[" + caller + " until " + expiresAt + "]";
    }
}

package dev.herald.portal;

import dev.herald.api.http.RequestOrigin;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.service.portal.PortalLinks;
import dev.herald.service.portal.PortalSession;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The portal's guards: the session cookie (HttpOnly, SameSite=Strict, Secure behind HTTPS), the CSRF token every
 * state-changing request must carry, and the headers every portal response gets (CSP with {@code default-src 'self'}
 * and the configured {@code frame-ancestors}, no caching, no referrer that could carry a link's token).
 */
final class PortalSecurity {
    static final String COOKIE = "herald_portal";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String SESSION_ATTRIBUTE = "herald.portal.session";

    private final PortalLinks links;
    private final String contentSecurityPolicy;

    PortalSecurity(PortalLinks links, PortalOptions options) {
        this.links = links;
        String images = options.logoUrl()
                .map(uri -> "'self' " + uri.getScheme() + "://" + uri.getRawAuthority())
                .orElse("'self'");
        this.contentSecurityPolicy = "default-src 'self'; img-src " + images + "; base-uri 'none'; form-action 'self'; "
                + "object-src 'none'; frame-ancestors " + options.frameAncestors();
    }

    void headers(Context ctx) {
        ctx.header("Content-Security-Policy", contentSecurityPolicy);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    /** The session the request's cookie names, remembered for the request; empty when there is none or it ended. */
    Optional<PortalSession> session(Context ctx) {
        PortalSession known = ctx.attribute(SESSION_ATTRIBUTE);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<PortalSession> found = Optional.ofNullable(ctx.cookie(COOKIE)).flatMap(links::session);
        found.ifPresent(s -> ctx.attribute(SESSION_ATTRIBUTE, s));
        return found;
    }

    /** The session already read for this request, without asking the store (for error pages). */
    Optional<PortalSession> known(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION_ATTRIBUTE));
    }

    /** The request's session, or a "session ended" answer. */
    PortalSession require(Context ctx) {
        return session(ctx).orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED,
                "Your portal session has ended. Ask for a new link to the portal."));
    }

    /** A state-changing request must carry its session's CSRF token, as a form field or (htmx) a header. */
    void requireCsrf(Context ctx, PortalSession session) {
        String sent = Optional.ofNullable(ctx.header(CSRF_HEADER)).orElseGet(() -> ctx.formParam(CSRF_FIELD));
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            throw HeraldException.of(ErrorCode.FORBIDDEN,
                    "This form has expired or did not come from the portal. Go back, reload the page and try again.");
        }
    }

    void endSession(Context ctx) {
        ctx.header("Set-Cookie", COOKIE + "=; Path=/portal; Max-Age=0; HttpOnly; SameSite=Strict"
                + (RequestOrigin.isHttps(ctx) ? "; Secure" : ""));
    }

    void startSession(Context ctx, PortalSession session, Instant now) {
        long maxAge = Math.max(0, Duration.between(now, session.expiresAt()).toSeconds());
        ctx.header("Set-Cookie", COOKIE + "=" + session.token() + "; Path=/portal; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Strict" + (RequestOrigin.isHttps(ctx) ? "; Secure" : ""));
    }
}

package dev.herald.api.http;

/**
 * The API dialect a request belongs to, decided by its path. Error bodies take the dialect's shape, so a
 * client of one product's API never sees another product's envelope.
 */
public enum Surface {
    /** {@code /v1/…}: seeds 002/003 and everything beyond the seeds. */
    CANONICAL,
    /** {@code /api/v1/webhooks…}: API Mall (seeds 000/001), {@code {"success":…}} envelope. */
    API_MALL,
    /**
     * {@code /api/v1/…} beside API Mall's webhooks: the Svix-compatible surface for the platform, {@code {code,detail}}
     * errors.
     */
    SVIX,
    /** {@code /api/integrations/…}: Midmarket (seed 004), camelCase, FastAPI-style errors. */
    MIDMARKET,
    /** {@code /admin/v1/…}: account and key administration with the admin token. */
    ADMIN,
    /** {@code /health}, {@code /ready}, {@code /metrics}, {@code /openapi.json}: no authentication. */
    PUBLIC,
    /** {@code /portal/…}: the customer portal's HTML pages, signed in by its own session cookie, not by a key. */
    PORTAL;

    /** API Mall's one resource under {@code /api/v1} (seeds 000/001); every other path there is Svix's. */
    private static final String API_MALL_WEBHOOKS = "/api/v1/webhooks";

    public static Surface of(String path) {
        if (path.startsWith("/api/integrations/")) {
            return MIDMARKET;
        }
        if (path.equals(API_MALL_WEBHOOKS) || path.startsWith(API_MALL_WEBHOOKS + "/")) {
            return API_MALL;
        }
        if (path.startsWith("/api/v1/") || path.equals("/api/v1")) {
            return SVIX;
        }
        if (path.startsWith("/admin/")) {
            return ADMIN;
        }
        if (path.equals("/portal") || path.startsWith("/portal/")) {
            return PORTAL;
        }
        if (path.equals("/health") || path.equals("/ready") || path.equals("/metrics") || path.equals("/openapi.json")) {
            return PUBLIC;
        }
        return CANONICAL;
    }
}

package dev.herald.api.svix;

import dev.herald.api.admin.PortalLinkRoutes;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RequestOrigin;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.service.portal.PortalLinks;
import dev.herald.service.svix.SvixService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Set;

/**
 * {@code POST /api/v1/auth/app-portal-access/{app_id}}: Svix's way for the platform to open an application's
 * consumer portal, answered {@code {url, token}} with a single-use link to Herald's customer portal (the same
 * {@link PortalLinks} the admin API mints). {@code application} creates the application first, as on Svix; a
 * read-only portal is refused rather than handed out with write access.
 */
final class AuthRoutes implements RouteGroup {
    /** {@code AppPortalAccessIn}'s fields; the session's {@code expiry} and the rest are Herald's configuration. */
    private static final Set<String> FIELDS = Set.of("application", "capabilities", "expiry", "featureFlags",
            "readOnly", "sessionId");

    private final SvixService svix;
    private final PortalLinks links;
    private final IdempotentRequests idempotency;

    AuthRoutes(SvixService svix, PortalLinks links, IdempotentRequests idempotency) {
        this.svix = svix;
        this.links = links;
        this.idempotency = idempotency;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/v1/auth/app-portal-access/{app_id}", idempotency.wrap(this::appPortalAccess));
    }

    private void appPortalAccess(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, true);
        if (body.optionalBoolean("readOnly").orElse(false)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "readOnly",
                    "a read-only portal is not available; the portal lets the customer manage its endpoints");
        }
        var application = ApplicationRoutes.inPathOrCreated(svix, ctx, body);
        Json.write(ctx, PortalLinkRoutes.json(links.mint(application.id(), RequestOrigin.of(ctx))));
    }
}

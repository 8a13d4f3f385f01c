package dev.herald.portal;

import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.RouteGroup;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.portal.view.Frame;
import dev.herald.service.Services;
import dev.herald.service.portal.PortalLinks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The customer portal under {@code /portal}: the page routes, the guards every request passes (security headers,
 * session, CSRF token on every POST) and the error pages. Built once by the composition root, which registers
 * {@link #routes()} on the API server and {@link #errors()} as the portal surface's error renderer.
 */
public final class Portal implements RouteGroup {
    private final PortalLinks links;
    private final PortalSecurity security;
    private final Views views;
    private final PortalErrors errors;
    private final PortalAssets assets;
    private final EndpointPages endpoints;
    private final DeliveryPages deliveries;
    private final CatalogPage catalog;
    private final Clock clock;

    private Portal(Services services, PortalOptions options, Clock clock) {
        this.links = services.portalLinks();
        this.security = new PortalSecurity(links, options);
        this.views = new Views(options);
        this.errors = new PortalErrors(views, security);
        this.assets = new PortalAssets(options);
        this.endpoints = new EndpointPages(services, views, security, clock);
        this.deliveries = new DeliveryPages(services, views, security);
        this.catalog = new CatalogPage(services, views, security);
        this.clock = clock;
    }

    public static Portal create(Services services, PortalOptions options, Clock clock) {
        return new Portal(services, options, clock);
    }

    /** The routes, to register with the server. */
    public RouteGroup routes() {
        return this;
    }

    /** The error pages of the portal surface. */
    public ErrorRenderer errors() {
        return errors;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/portal", ctx -> ctx.redirect("/portal/endpoints"));
        routes.get("/portal/login", this::login);
        routes.post("/portal/logout", this::logout);
        assets.addTo(routes);
        endpoints.addTo(routes);
        deliveries.addTo(routes);
        catalog.addTo(routes);
    }

    /**
     * The portal's paths are told by their prefix, compared (Javalin's before-handler paths are regular expressions,
     * matched against every request): every portal request gets the security headers; every other method than GET
     * and HEAD under {@code /portal/} needs a session and its CSRF token.
     */
    @Override
    public void beforeEach(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/portal/")) {
            guard(ctx);
        } else if (path.equals("/portal")) {
            security.headers(ctx);
        }
    }

    /**
     * Every portal request gets the security headers; every POST needs a session and its CSRF token. (Pages check
     * the session themselves: the login and the assets have none.)
     */
    private void guard(Context ctx) {
        security.headers(ctx);
        if (!ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD")) {
            security.requireCsrf(ctx, security.require(ctx));
        }
    }

    /** Opening a minted link: the token becomes a session cookie, then a clean URL without the token. */
    private void login(Context ctx) {
        var session = Optional.ofNullable(ctx.queryParam("token")).flatMap(links::redeem);
        if (session.isEmpty()) {
            ctx.status(401);
            views.page(ctx, "message", Map.of("frame", views.anonymous("Link expired"),
                    "heading", "This link has expired",
                    "text", "Portal links work once and only for a short time. Ask for a new link to the portal."));
            return;
        }
        security.startSession(ctx, session.get(), clock.instant());
        // A page that moves on by itself rather than a 302: a SameSite=Strict cookie set on a navigation that
        // began on another site is not sent on that navigation's redirects, but it is on a navigation from here.
        views.page(ctx, "login", Map.of("frame", views.anonymous("Signed in")));
    }

    /** Signing out: the session ends in the store (on every node) and the cookie is cleared. */
    private void logout(Context ctx) {
        links.end(security.require(ctx));
        security.endSession(ctx);
        views.page(ctx, "message", Map.of("frame", views.anonymous("Signed out"), "heading", "You are signed out",
                "text", "Open a new link to the portal to come back."));
    }

    /** The frame of a signed-in page. */
    static Frame frame(Views views, PortalSecurity security, Context ctx, String title, Frame.Section section) {
        return views.frame(title, section, security.require(ctx));
    }

    static HeraldException notFound() {
        return HeraldException.of(ErrorCode.NOT_FOUND, "not found");
    }
}

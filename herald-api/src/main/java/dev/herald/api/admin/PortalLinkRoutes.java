package dev.herald.api.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RequestOrigin;
import dev.herald.api.http.RouteGroup;
import dev.herald.service.account.AccountService;
import dev.herald.service.portal.PortalLink;
import dev.herald.service.portal.PortalLinks;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.Set;

/**
 * {@code POST /admin/v1/accounts/{account}/portal-sessions}: the platform mints a single-use link to one account's
 * customer portal, answered as {@code {url, token}} (the Svix app-portal-access shape). The rules are
 * {@link PortalLinks}'.
 */
public final class PortalLinkRoutes implements RouteGroup {
    private final AccountService accounts;
    private final PortalLinks links;

    public PortalLinkRoutes(AccountService accounts, PortalLinks links) {
        this.accounts = accounts;
        this.links = links;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/admin/v1/accounts/{account}/portal-sessions", this::mint);
    }

    private void mint(Context ctx) {
        RequestBody.parse(ctx, Set.of(), true);
        var account = accounts.account(ctx.pathParam("account"));
        Json.write(ctx, json(links.mint(account.id(), RequestOrigin.of(ctx))));
    }

    /** The {@code {url, token}} body, shared with any surface that answers a minted link. */
    public static ObjectNode json(PortalLink link) {
        var json = Json.object();
        json.put("url", link.url().toString());
        json.put("token", link.token());
        return json;
    }
}

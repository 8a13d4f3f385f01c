package dev.herald.service.portal;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.AccountStatus;
import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.account.Caller;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.store.PortalTokens.Grant;
import dev.herald.store.Store;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Access to the customer portal: the platform mints a single-use link for one account; opening it exchanges the
 * link's token for a session; a session's token names its account on every later request. Tokens are stored hashed,
 * in the store, so a link minted on one node opens on any other.
 */
public final class PortalLinks {
    /** The path a link opens; its token follows in the query. */
    public static final String LOGIN_PATH = "/portal/login";
    /** The name of the API key the portal acts with (endpoints created in the portal record it as their creator). */
    public static final String PORTAL_KEY_NAME = "customer portal";

    private static final String LINK_PREFIX = "hpl_";
    private static final String SESSION_PREFIX = "hps_";

    private final Store store;
    private final PortalSettings settings;
    private final Clock clock;

    public PortalLinks(Store store, PortalSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A new link for {@code account}, valid once within the link lifetime. It starts with the configured
     * {@code portal.public-url}, or else with {@code origin} (the scheme, host and port the platform called).
     */
    public PortalLink mint(AccountId account, URI origin) {
        Account found = store.accounts().find(account).filter(a -> a.status() == AccountStatus.ACTIVE)
                .orElseThrow(() -> HeraldException.field(ErrorCode.ACCOUNT_NOT_FOUND, "account",
                        "account " + account + " not found or not active"));
        Instant now = clock.instant();
        store.portalTokens().deleteExpired(now); // minting is rare; it keeps the table to what can still be used
        String token = ApiKeyToken.randomToken(LINK_PREFIX);
        store.portalTokens().addLink(ApiKeyToken.sha256Hex(token),
                new Grant(found.id(), portalKey(found.id(), now), now.plus(settings.linkTtl())), now);
        String base = settings.publicUrl().orElse(origin).toString().replaceAll("/+$", "");
        return new PortalLink(URI.create(base + LOGIN_PATH + "?token=" + token), token);
    }

    /** Exchanges a link's token for a new session; empty when the token is unknown, used, expired or malformed. */
    public Optional<PortalSession> redeem(String linkToken) {
        if (!ApiKeyToken.hasShape(linkToken, LINK_PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.portalTokens().redeemLink(ApiKeyToken.sha256Hex(linkToken), now)
                .filter(grant -> isActive(grant.account()))
                .map(grant -> {
                    String token = ApiKeyToken.randomToken(SESSION_PREFIX);
                    var session = new Grant(grant.account(), grant.key(), now.plus(settings.sessionTtl()));
                    store.portalTokens().addSession(ApiKeyToken.sha256Hex(token), session, now);
                    return new PortalSession(token, new Caller(grant.account(), grant.key()), session.expiresAt());
                });
    }

    /** The session a cookie names, while it lasts and its account is active. */
    public Optional<PortalSession> session(String sessionToken) {
        if (!ApiKeyToken.hasShape(sessionToken, SESSION_PREFIX)) {
            return Optional.empty();
        }
        return store.portalTokens().findSession(ApiKeyToken.sha256Hex(sessionToken), clock.instant())
                .filter(grant -> isActive(grant.account()))
                .map(grant -> new PortalSession(sessionToken, new Caller(grant.account(), grant.key()),
                        grant.expiresAt()));
    }

    /** Signs the session out: its token opens nothing from now on, on every node. */
    public void end(PortalSession session) {
        store.portalTokens().endSession(ApiKeyToken.sha256Hex(session.token()));
    }

    private boolean isActive(AccountId account) {
        return store.accounts().find(account).filter(a -> a.status() == AccountStatus.ACTIVE).isPresent();
    }

    /**
     * The account's key for portal changes, created at the first link: endpoints record the key that created
     * them. Its token is thrown away at once, so the key cannot be used outside the portal; revoking it makes
     * the next link create another.
     */
    private ApiKeyId portalKey(AccountId account, Instant now) {
        return store.apiKeys().list(account).stream()
                .filter(k -> k.name().equals(PORTAL_KEY_NAME) && k.revokedAt().isEmpty())
                .map(ApiKey::id)
                .findFirst()
                .orElseGet(() -> {
                    ApiKeyToken unused = ApiKeyToken.generate();
                    return store.apiKeys().create(account, PORTAL_KEY_NAME, unused.hash(), unused.hint(), now).id();
                });
    }
}

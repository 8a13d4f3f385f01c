package dev.herald.api.http;

import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.account.Caller;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.platform.PlatformKey;
import dev.herald.core.platform.PlatformKeyId;
import dev.herald.core.platform.PlatformKeyToken;
import dev.herald.service.Services;
import dev.herald.store.ApiKeys;
import dev.herald.store.PlatformKeys;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Resolves the credential of a request. Customer routes take an account's API key —
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} — and answer with its {@link Caller}; platform
 * routes ({@code /admin/v1} and the Svix surface) take the configured admin token or a platform key
 * ({@code sk_platform_…}), as a Bearer token only. Neither kind of key works on the other's routes. A key found active is remembered for a
 * short time ({@link #DEFAULT_CACHE_TIME}); a key revoked on this node is forgotten at once, one revoked elsewhere
 * (another node, the CLI) stops working within that time.
 */
public final class Authenticator implements Services.Revocations {
    public static final Duration DEFAULT_CACHE_TIME = Duration.ofSeconds(1);

    private final Optional<String> adminToken;
    private final RememberedKeys<ApiKey> apiKeys;
    private final RememberedKeys<PlatformKey> platformKeys;

    private Authenticator(ApiKeys apiKeys, PlatformKeys platformKeys, Optional<String> adminToken,
                          Duration cacheTime, LongSupplier nanoTime) {
        this.adminToken = adminToken;
        this.apiKeys = new RememberedKeys<>(apiKeys::findActiveByHash, cacheTime.toNanos(), nanoTime);
        this.platformKeys = new RememberedKeys<>(platformKeys::findActiveByHash, cacheTime.toNanos(), nanoTime);
    }

    public static Authenticator create(ApiKeys apiKeys, PlatformKeys platformKeys, Optional<String> adminToken) {
        return create(apiKeys, platformKeys, adminToken, DEFAULT_CACHE_TIME, System::nanoTime);
    }

    /** With an explicit cache time (zero: look every key up) and clock, for tests. */
    public static Authenticator create(ApiKeys apiKeys, PlatformKeys platformKeys, Optional<String> adminToken,
                                       Duration cacheTime, LongSupplier nanoTime) {
        if (cacheTime.isNegative()) {
            throw new IllegalArgumentException("cacheTime must not be negative");
        }
        return new Authenticator(apiKeys, platformKeys, adminToken.filter(t -> !t.isBlank()), cacheTime, nanoTime);
    }

    /** Stops accepting a key from the cache (called when this node revokes it). */
    @Override
    public void apiKeyRevoked(ApiKeyId id) {
        apiKeys.forget(key -> key.id().equals(id));
    }

    @Override
    public void platformKeyRevoked(PlatformKeyId id) {
        platformKeys.forget(key -> key.id().equals(id));
    }

    /** {@code bearer} is the request's {@link #bearerToken(Context)}, read once by the caller. */
    Caller authenticate(Context ctx, Optional<String> bearer) {
        return authenticate(presentedToken(ctx, bearer));
    }

    /** The caller owning {@code presented}, the token of a request (empty when it carried none). */
    Caller authenticate(Optional<String> presented) {
        String token = presented
                .orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED, "API key required"));
        if (PlatformKeyToken.looksValid(token)) {
            throw HeraldException.of(ErrorCode.UNAUTHORIZED,
                    "a platform key cannot be used on customer routes; use one of the account's API keys");
        }
        if (!ApiKeyToken.looksValid(token)) {
            throw HeraldException.of(ErrorCode.UNAUTHORIZED, "Invalid API key");
        }
        ApiKey key = apiKeys.find(new ApiKeyToken(token).hash())
                .orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED, "Invalid API key"));
        return new Caller(key.accountId(), key.id());
    }

    /**
     * Platform routes accept the configured admin token (compared in constant time) or an active platform key,
     * never an account's API key. Without an admin token configured, and no platform key presented, the routes do
     * not exist (404).
     */
    void authenticatePlatform(Optional<String> bearer) {
        if (bearer.isPresent() && PlatformKeyToken.looksValid(bearer.get())) {
            platformKeys.find(new PlatformKeyToken(bearer.get()).hash())
                    .orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED, "invalid platform key"));
            return;
        }
        if (bearer.isPresent() && ApiKeyToken.looksValid(bearer.get())) {
            throw HeraldException.of(ErrorCode.UNAUTHORIZED,
                    "an account's API key cannot be used on platform routes; use a platform key");
        }
        adminToken.orElseThrow(() -> HeraldException.of(ErrorCode.NOT_FOUND, "Not found"));
        String token = bearer.orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED,
                "admin token or platform key required as Authorization: Bearer"));
        if (!isAdminToken(token)) {
            throw HeraldException.of(ErrorCode.UNAUTHORIZED, "invalid admin token");
        }
    }

    /** Whether the request's bearer token is a platform key or the admin token rather than an account's key. */
    boolean presentsPlatformCredential(Optional<String> bearer) {
        return bearer.filter(token -> PlatformKeyToken.looksValid(token) || isAdminToken(token)).isPresent();
    }

    private boolean isAdminToken(String token) {
        return adminToken.filter(expected -> MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))).isPresent();
    }

    /**
     * The request's {@code Authorization: Bearer} token. Platform credentials travel only so; {@code X-API-Key} is a
     * customer's header.
     */
    static Optional<String> bearerToken(Context ctx) {
        return bearerToken(ctx.header("Authorization"));
    }

    /**
     * A Bearer token first, then {@code X-API-Key} (seed 004's header). An {@code Authorization} header of another
     * scheme (a proxy's Basic credentials, say) does not hide an {@code X-API-Key} sent with it; alone, it is
     * presented as an empty token, which no key matches.
     */
    private static Optional<String> presentedToken(Context ctx, Optional<String> bearer) {
        if (bearer.isPresent()) {
            return bearer;
        }
        String authorization = ctx.header("Authorization");
        boolean hasAuthorization = authorization != null && !authorization.isBlank();
        String apiKey = ctx.header("X-API-Key");
        if (apiKey != null && !apiKey.isBlank()) {
            return Optional.of(apiKey.trim());
        }
        return hasAuthorization ? Optional.of("") : Optional.empty();
    }

    private static Optional<String> bearerToken(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String trimmed = authorization.trim();
        return trimmed.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(trimmed.substring(7).trim())
                : Optional.empty();
    }
}

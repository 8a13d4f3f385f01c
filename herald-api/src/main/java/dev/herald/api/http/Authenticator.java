package dev.herald.api.http;

import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import dev.herald.store.ApiKeys;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Resolves the API key of a request — {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} — to
 * its account. A key found active is remembered for a short time ({@link #DEFAULT_CACHE_TIME}), which takes the
 * store lookup off all but one request per key per second; a key revoked on this node is forgotten at once
 * ({@link #forget}), one revoked elsewhere (another node, the CLI) stops working within that time. Unknown and
 * revoked keys are never remembered, so a new key works at once.
 */
public final class Authenticator {
    public static final Duration DEFAULT_CACHE_TIME = Duration.ofSeconds(1);
    /** More distinct live keys than this within the cache time clears the cache rather than growing it. */
    private static final int MAX_CACHED_KEYS = 10_000;

    private final ApiKeys keys;
    private final Optional<String> adminToken;
    private final long cacheNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Remembered> active = new ConcurrentHashMap<>();

    private record Remembered(ApiKey key, long untilNanos) {
    }

    private Authenticator(ApiKeys keys, Optional<String> adminToken, Duration cacheTime, LongSupplier nanoTime) {
        this.keys = keys;
        this.adminToken = adminToken;
        this.cacheNanos = cacheTime.toNanos();
        this.nanoTime = nanoTime;
    }

    public static Authenticator create(ApiKeys keys, Optional<String> adminToken) {
        return create(keys, adminToken, DEFAULT_CACHE_TIME, System::nanoTime);
    }

    /** With an explicit cache time (zero: look every key up) and clock, for tests. */
    public static Authenticator create(ApiKeys keys, Optional<String> adminToken, Duration cacheTime,
                                       LongSupplier nanoTime) {
        if (cacheTime.isNegative()) {
            throw new IllegalArgumentException("cacheTime must not be negative");
        }
        return new Authenticator(keys, adminToken.filter(t -> !t.isBlank()), cacheTime, nanoTime);
    }

    /** Stops accepting a key from the cache (called when this node revokes it). */
    public void forget(ApiKeyId id) {
        active.values().removeIf(remembered -> remembered.key().id().equals(id));
    }

    Caller authenticate(Context ctx, RequestId requestId) {
        return authenticate(presentedToken(ctx), requestId);
    }

    /** The caller owning {@code presented}, the token of a request (empty when it carried none). */
    Caller authenticate(Optional<String> presented, RequestId requestId) {
        String token = presented
                .orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED, "API key required"));
        if (!ApiKeyToken.looksValid(token)) {
            throw HeraldException.of(ErrorCode.UNAUTHORIZED, "Invalid API key");
        }
        ApiKey key = activeKey(new ApiKeyToken(token).hash())
                .orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED, "Invalid API key"));
        return new Caller(key.accountId(), key.id(), requestId);
    }

    private Optional<ApiKey> activeKey(String hash) {
        long now = nanoTime.getAsLong();
        Remembered remembered = active.get(hash);
        if (remembered != null && now - remembered.untilNanos() < 0) {
            return Optional.of(remembered.key());
        }
        Optional<ApiKey> found = keys.findActiveByHash(hash);
        if (found.isEmpty()) {
            active.remove(hash);
        } else if (cacheNanos > 0) {
            if (active.size() >= MAX_CACHED_KEYS) {
                active.clear();
            }
            active.put(hash, new Remembered(found.get(), now + cacheNanos));
        }
        return found;
    }

    boolean adminEnabled() {
        return adminToken.isPresent();
    }

    /**
     * Admin routes accept only the configured admin token, as {@code Authorization: Bearer}, compared in constant
     * time. {@code X-API-Key} is a customer's header (seed 004); a platform credential never travels in it.
     */
    void authenticateAdmin(Context ctx) {
        String expected = adminToken.orElseThrow(() -> HeraldException.of(ErrorCode.NOT_FOUND, "Not found"));
        String token = bearerToken(ctx.header("Authorization")).orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED,
                "admin token required as Authorization: Bearer"));
        boolean same = MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
        if (!same) {
            throw HeraldException.of(ErrorCode.UNAUTHORIZED, "invalid admin token");
        }
    }

    /**
     * A Bearer token first, then {@code X-API-Key} (seed 004's header). An {@code Authorization} header of another
     * scheme (a proxy's Basic credentials, say) does not hide an {@code X-API-Key} sent with it; alone, it is
     * presented as an empty token, which no key matches.
     */
    private static Optional<String> presentedToken(Context ctx) {
        String authorization = ctx.header("Authorization");
        boolean hasAuthorization = authorization != null && !authorization.isBlank();
        Optional<String> bearer = bearerToken(authorization);
        if (bearer.isPresent()) {
            return bearer;
        }
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

package dev.herald.api.http;

import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import dev.herald.store.ApiKeys;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Resolves the API key of a request — {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} — to
 * its account. Keys are looked up by hash on every request (no cache), so a revoked key stops working at once.
 */
public final class Authenticator {
    private final ApiKeys keys;
    private final Optional<String> adminToken;

    private Authenticator(ApiKeys keys, Optional<String> adminToken) {
        this.keys = keys;
        this.adminToken = adminToken;
    }

    public static Authenticator create(ApiKeys keys, Optional<String> adminToken) {
        return new Authenticator(keys, adminToken.filter(t -> !t.isBlank()));
    }

    Caller authenticate(Context ctx, RequestId requestId) {
        String token = presentedToken(ctx)
                .orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED, "API key required"));
        if (!ApiKeyToken.looksValid(token)) {
            throw HeraldException.of(ErrorCode.UNAUTHORIZED, "Invalid API key");
        }
        var key = keys.findActiveByHash(new ApiKeyToken(token).hash())
                .orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED, "Invalid API key"));
        return new Caller(key.accountId(), key.id(), requestId);
    }

    boolean adminEnabled() {
        return adminToken.isPresent();
    }

    /** Admin routes accept only the configured admin token, compared in constant time. */
    void authenticateAdmin(Context ctx) {
        String expected = adminToken.orElseThrow(() -> HeraldException.of(ErrorCode.NOT_FOUND, "Not found"));
        String token = presentedToken(ctx)
                .orElseThrow(() -> HeraldException.of(ErrorCode.UNAUTHORIZED, "admin token required"));
        boolean same = MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
        if (!same) {
            throw HeraldException.of(ErrorCode.UNAUTHORIZED, "invalid admin token");
        }
    }

    private static Optional<String> presentedToken(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && !authorization.isBlank()) {
            String trimmed = authorization.trim();
            if (trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(trimmed.substring(7).trim());
            }
            return Optional.of("");
        }
        String apiKey = ctx.header("X-API-Key");
        if (apiKey != null && !apiKey.isBlank()) {
            return Optional.of(apiKey.trim());
        }
        return Optional.empty();
    }
}

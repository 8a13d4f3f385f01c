package dev.herald.api.http;

import dev.herald.core.account.Caller;
import io.javalin.http.Context;

/**
 * Where the authentication filter leaves who asks — an account's {@link Caller}, or the platform on the one customer
 * route it may use — and how routes read it back.
 */
public final class Callers {
    static final String ATTRIBUTE = "herald.caller";
    static final String PLATFORM_ATTRIBUTE = "herald.platform";

    private Callers() {
    }

    /** The caller the authentication filter attached; every non-public route has one. */
    public static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("route registered without authentication: " + ctx.path());
        }
        return caller;
    }

    /** Whether the request was authenticated with a platform key (or the admin token) rather than an API key. */
    public static boolean isPlatform(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(PLATFORM_ATTRIBUTE));
    }
}

package dev.herald.api.http;

import dev.herald.core.account.Caller;
import io.javalin.http.Context;

/** Where the authentication filter leaves the request's {@link Caller}, and how routes read it back. */
public final class Callers {
    static final String ATTRIBUTE = "herald.caller";

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
}

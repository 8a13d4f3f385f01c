package dev.herald.api.http;

import io.javalin.http.Context;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The scheme, host and port a request was made to, as the client saw them: behind a TLS-terminating proxy the
 * proxy's {@code X-Forwarded-Proto} names the scheme. For links handed back to the caller, and for cookies that must
 * be {@code Secure} behind HTTPS.
 */
public final class RequestOrigin {
    private RequestOrigin() {
    }

    public static URI of(Context ctx) {
        String host = Optional.ofNullable(ctx.header("Host")).filter(h -> h.matches("[A-Za-z0-9.:\\[\\]-]+"))
                .orElse(ctx.req().getLocalName() + ":" + ctx.port());
        return URI.create(scheme(ctx) + "://" + host);
    }

    /** Whether the client reached Herald over HTTPS, directly or through a proxy that says so. */
    public static boolean isHttps(Context ctx) {
        return scheme(ctx).equals("https");
    }

    private static String scheme(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        if (forwarded != null) {
            String first = forwarded.split(",")[0].trim().toLowerCase(Locale.ROOT);
            if (first.equals("https") || first.equals("http")) {
                return first;
            }
        }
        return ctx.scheme();
    }
}

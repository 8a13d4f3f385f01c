package dev.herald.api.http;

import io.javalin.http.Context;

import java.util.Optional;

/**
 * The route template a request refused before routing was meant for (a 401 or 413 is answered before Javalin
 * matches an endpoint), so request metrics count it under its real route instead of "unmatched".
 */
public final class RefusedRoute {
    static final String ATTRIBUTE = "herald.refused-route";

    private RefusedRoute() {
    }

    /** The template of the route the refused request was for; empty when it was not refused or matches none. */
    public static Optional<String> of(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }
}

package dev.herald.api.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** A set of routes (one resource of one surface) that the server registers at start. */
@FunctionalInterface
public interface RouteGroup {
    void addTo(RoutesConfig routes);

    /**
     * Runs before every request, once it was admitted (its key checked), ahead of its route: a group's own check of
     * the paths it serves, which it tells by the path. The server calls every group's from its one before-handler:
     * Javalin matches each before-handler's path pattern, a regular expression, against every request. None by
     * default.
     */
    default void beforeEach(Context ctx) {
    }
}

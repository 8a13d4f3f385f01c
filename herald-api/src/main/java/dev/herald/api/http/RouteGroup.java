package dev.herald.api.http;

import io.javalin.config.RoutesConfig;

/** A set of routes (one resource of one surface) that the server registers at start. */
@FunctionalInterface
public interface RouteGroup {
    void addTo(RoutesConfig routes);
}

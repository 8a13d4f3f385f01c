package dev.herald.api.openapi;

import dev.herald.api.http.RouteGroup;
import io.javalin.config.RoutesConfig;

/** {@code GET /openapi.json}: the API description, public like {@code /health}. */
public final class OpenApiRoutes implements RouteGroup {
    private final byte[] json;

    public OpenApiRoutes(OpenApiDocument document) {
        this.json = document.json();
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(json));
    }
}

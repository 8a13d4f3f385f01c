package dev.herald.portal;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The portal's static files, served by Herald from its own jar: the stylesheet, a small script (copy buttons), htmx
 * from its webjar, and the theme stylesheet carrying the configured accent colour (a file rather than an inline
 * style, so the CSP needs no {@code 'unsafe-inline'}).
 */
final class PortalAssets {
    private static final String HTMX = "/META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";
    private static final Map<String, String> FILES = Map.of(
            "portal.css", "/dev/herald/portal/assets/portal.css",
            "portal.js", "/dev/herald/portal/assets/portal.js",
            "htmx.min.js", HTMX);

    private final Map<String, byte[]> contents;
    private final String theme;

    PortalAssets(PortalOptions options) {
        var loaded = new java.util.HashMap<String, byte[]>();
        FILES.forEach((name, resource) -> loaded.put(name, read(resource)));
        this.contents = Map.copyOf(loaded);
        // the colour is checked by the configuration loader (#rgb or #rrggbb), so it cannot end the rule
        this.theme = ":root { --accent: " + options.accentColor() + "; }\n";
    }

    void addTo(RoutesConfig routes) {
        routes.get("/portal/assets/theme.css", ctx -> send(ctx, "text/css; charset=utf-8", theme.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        routes.get("/portal/assets/{file}", this::serve);
    }

    private void serve(Context ctx) {
        String name = ctx.pathParam("file");
        byte[] body = contents.get(name);
        if (body == null) {
            throw Portal.notFound();
        }
        send(ctx, name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", body);
    }

    private static void send(Context ctx, String type, byte[] body) {
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(type);
        ctx.result(body);
    }

    private static byte[] read(String resource) {
        try (InputStream in = PortalAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("portal asset missing from the jar: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

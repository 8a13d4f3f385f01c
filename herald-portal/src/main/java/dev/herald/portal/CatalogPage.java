package dev.herald.portal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.account.Caller;
import dev.herald.core.event.EventType;
import dev.herald.portal.view.Frame;
import dev.herald.service.Services;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event catalog: the account's event types with their descriptions and an example body (the wire envelope, with
 * the type's schema example or its schema when one is stored).
 */
final class CatalogPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Services services;
    private final Views views;
    private final PortalSecurity security;

    CatalogPage(Services services, Views views, PortalSecurity security) {
        this.services = services;
        this.views = views;
        this.security = security;
    }

    void addTo(RoutesConfig routes) {
        routes.get("/portal/catalog", this::show);
    }

    private void show(Context ctx) {
        Caller caller = security.require(ctx).caller();
        List<EventType> types = services.eventTypes().list(caller);
        var examples = new LinkedHashMap<String, String>();
        types.forEach(type -> examples.put(type.name(), example(type)));
        views.page(ctx, "catalog", Map.of("frame", Portal.frame(views, security, ctx, "Event catalog",
                Frame.Section.CATALOG), "types", types, "examples", examples));
    }

    static String example(EventType type) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "evt_2b1Xq3Yb0c9dE8fG7hI6jK5lM4n");
        body.put("type", type.name());
        body.put("timestamp", "2026-01-15T10:00:00Z");
        ObjectNode data = body.putObject("data");
        type.schema().ifPresent(schema -> {
            try {
                var node = JSON.readTree(schema);
                var example = node.path("examples").path(0);
                data.setAll(example.isObject() ? (ObjectNode) example : JSON.createObjectNode());
            } catch (java.io.IOException e) {
                // a schema that is not JSON shows no example data
            }
        });
        return DeliveryPages.pretty(body.toString());
    }
}

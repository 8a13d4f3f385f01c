package dev.herald.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.account.Caller;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.portal.view.DeliveriesView;
import dev.herald.portal.view.DeliveryView;
import dev.herald.portal.view.Format;
import dev.herald.portal.view.Frame;
import dev.herald.service.Services;
import dev.herald.service.endpoint.EndpointRef;
import dev.herald.store.DeliveryHistory.Filter;
import dev.herald.store.PageRequest;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The deliveries screens: an endpoint's deliveries filtered by state, event type and time; one delivery with its
 * payload and every attempt; "retry now". */
final class DeliveryPages {
    private static final int PAGE_SIZE = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Services services;
    private final Views views;
    private final PortalSecurity security;

    DeliveryPages(Services services, Views views, PortalSecurity security) {
        this.services = services;
        this.views = views;
        this.security = security;
    }

    void addTo(RoutesConfig routes) {
        routes.get("/portal/endpoints/{id}/deliveries", this::list);
        routes.get("/portal/deliveries/{id}", this::show);
        routes.post("/portal/deliveries/{id}/retry", this::retry);
    }

    private void list(Context ctx) {
        Caller caller = security.require(ctx).caller();
        String status = param(ctx, "status");
        String type = param(ctx, "type");
        String since = param(ctx, "since");
        var filter = new Filter(Optional.of(status).filter(s -> !s.isEmpty()).map(DeliveryState::fromWire)
                .map(state -> state.orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST, "status",
                        "status must be pending, delivered, failed or cancelled"))),
                Optional.of(type).filter(t -> !t.isEmpty()), since(since));
        var page = new PageRequest(Optional.ofNullable(ctx.queryParam("cursor")), PAGE_SIZE);
        var listed = services.deliveryHistory().list(caller, EndpointRef.publicId(ctx.pathParam("id"))
                .orElseThrow(Portal::notFound), filter, page);
        Endpoint endpoint = listed.endpoint();
        Optional<String> next = listed.page().nextCursor().map(cursor -> EndpointPages.path(endpoint)
                + "/deliveries?status=" + encode(status) + "&type=" + encode(type) + "&since=" + encode(since)
                + "&cursor=" + encode(cursor));
        var view = new DeliveriesView(endpoint, listed.page(), status, type, since,
                services.eventTypes().list(caller), next);
        views.page(ctx, "deliveries", Map.of("frame", frame(ctx, "Deliveries"), "view", view));
    }

    private void show(Context ctx) {
        Caller caller = security.require(ctx).caller();
        var log = services.deliveries().get(caller, ctx.pathParam("id"));
        String payload = services.events().get(caller, log.delivery().eventId().value()).event().payload();
        var view = new DeliveryView(log.delivery(), log.endpoint(), pretty(payload), log.attempts());
        Frame frame = frame(ctx, "Delivery");
        views.page(ctx, "delivery", Map.of("frame", Notices.of(ctx).map(frame::withNotice).orElse(frame),
                "view", view));
    }

    private void retry(Context ctx) {
        Caller caller = security.require(ctx).caller();
        var retried = services.deliveries().retry(caller, ctx.pathParam("id"));
        ctx.redirect(Notices.redirect("/portal/deliveries/" + retried.delivery().id().value(), "retried"),
                HttpStatus.SEE_OTHER);
    }

    private Frame frame(Context ctx, String title) {
        return Portal.frame(views, security, ctx, title, Frame.Section.ENDPOINTS);
    }

    private static String param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).orElse("").strip();
    }

    private static Optional<Instant> since(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Format.parseInputTime(text).orElseThrow(() -> HeraldException.field(
                ErrorCode.INVALID_REQUEST, "since", "since must be a date and time such as "
                        + Format.inputTime(Instant.EPOCH))));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The payload indented for reading; as stored when it is not JSON (it always is, but a page must not fail). */
    static String pretty(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (java.io.IOException e) {
            return payload;
        }
    }
}

package dev.herald.portal;

import dev.herald.core.account.Caller;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.portal.view.ActivityChart;
import dev.herald.portal.view.EndpointForm;
import dev.herald.portal.view.EndpointRow;
import dev.herald.portal.view.EndpointView;
import dev.herald.portal.view.Format;
import dev.herald.portal.view.Frame;
import dev.herald.portal.view.SecretsView;
import dev.herald.service.Services;
import dev.herald.service.endpoint.CreateEndpoint;
import dev.herald.service.endpoint.EndpointPatch;
import dev.herald.service.endpoint.EndpointRef;
import dev.herald.store.DeliveryHistory;
import dev.herald.store.PageRequest;
import gg.jte.Content;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The endpoint screens: the list, create and edit, pause / resume / re-enable, delete with confirmation, and the
 * detail page with its secret, test send, 24-hour chart, recent deliveries and recover. Each action is one service
 * call made as the session's caller; the service's refusal is shown on the page.
 */
final class EndpointPages {
    private static final int RECENT = 10;

    private final Services services;
    private final Views views;
    private final PortalSecurity security;
    private final Clock clock;

    EndpointPages(Services services, Views views, PortalSecurity security, Clock clock) {
        this.services = services;
        this.views = views;
        this.security = security;
        this.clock = clock;
    }

    void addTo(RoutesConfig routes) {
        routes.get("/portal/endpoints", this::list);
        routes.get("/portal/endpoints/new", this::newForm);
        routes.post("/portal/endpoints", this::create);
        routes.get("/portal/endpoints/{id}", this::detail);
        routes.get("/portal/endpoints/{id}/edit", this::editForm);
        routes.post("/portal/endpoints/{id}", this::update);
        routes.post("/portal/endpoints/{id}/status", this::setStatus);
        routes.get("/portal/endpoints/{id}/delete", this::confirmDelete);
        routes.post("/portal/endpoints/{id}/delete", this::delete);
        routes.post("/portal/endpoints/{id}/secret", ctx -> secrets(ctx, false));
        routes.post("/portal/endpoints/{id}/secret/rotate", ctx -> secrets(ctx, true));
        routes.post("/portal/endpoints/{id}/test", this::sendTest);
        routes.post("/portal/endpoints/{id}/recover", this::recover);
    }

    private void list(Context ctx) {
        Caller caller = security.require(ctx).caller();
        var rows = new ArrayList<EndpointRow>();
        services.endpoints().forEach(caller,
                endpoint -> rows.add(new EndpointRow(endpoint, services.deliveryHistory().activity(endpoint))));
        Frame frame = frame(ctx, "Endpoints");
        views.page(ctx, "endpoints", Map.of("frame", Notices.of(ctx).map(frame::withNotice).orElse(frame),
                "rows", rows));
    }

    private void newForm(Context ctx) {
        Caller caller = security.require(ctx).caller();
        showForm(ctx, new EndpointForm(Optional.empty(), "", "", Set.of(), "", "",
                services.eventTypes().list(caller), Optional.empty()));
    }

    private void editForm(Context ctx) {
        Caller caller = security.require(ctx).caller();
        Endpoint endpoint = endpoint(ctx, caller);
        String headers = endpoint.headers().entrySet().stream().map(h -> h.getKey() + ": " + h.getValue())
                .collect(Collectors.joining("\n"));
        String rateLimit = endpoint.rateLimit().isPresent() ? Integer.toString(endpoint.rateLimit().getAsInt()) : "";
        showForm(ctx, new EndpointForm(Optional.of(endpoint), endpoint.url(), endpoint.description().orElse(""),
                Set.copyOf(endpoint.eventTypes()), rateLimit, headers, services.eventTypes().list(caller),
                Optional.empty()));
    }

    private void create(Context ctx) {
        Caller caller = security.require(ctx).caller();
        var input = FormInput.read(ctx);
        try {
            var request = new CreateEndpoint(input.url(), input.events(), input.description(), Optional.empty(),
                    OptionalLong.empty(), input.rateLimit(), input.headers());
            Endpoint created = services.endpoints().create(caller, request).endpoint();
            ctx.redirect(Notices.redirect(path(created), "created"), HttpStatus.SEE_OTHER);
        } catch (HeraldException refused) {
            refusedForm(ctx, caller, Optional.empty(), input, refused);
        }
    }

    private void update(Context ctx) {
        Caller caller = security.require(ctx).caller();
        Endpoint endpoint = endpoint(ctx, caller);
        var input = FormInput.read(ctx);
        try {
            var patch = EndpointPatch.NONE.withUrl(input.url()).withEvents(input.events())
                    .withDescription(input.description()).withRateLimit(input.rateLimit())
                    .withHeaders(input.headers());
            services.endpoints().update(caller, ref(endpoint), patch);
            ctx.redirect(Notices.redirect(path(endpoint), "saved"), HttpStatus.SEE_OTHER);
        } catch (HeraldException refused) {
            refusedForm(ctx, caller, Optional.of(endpoint), input, refused);
        }
    }

    private void refusedForm(Context ctx, Caller caller, Optional<Endpoint> existing, FormInput input,
                             HeraldException refused) {
        if (refused.code() == ErrorCode.WEBHOOK_NOT_FOUND) {
            throw refused;
        }
        ctx.status(400);
        showForm(ctx, new EndpointForm(existing, input.url(), input.description().orElse(""),
                Set.copyOf(input.events()), input.rateLimitText(), input.headersText(),
                services.eventTypes().list(caller), Optional.of(refused.getMessage())));
    }

    private void showForm(Context ctx, EndpointForm form) {
        String title = form.existing().isPresent() ? "Edit endpoint" : "Add endpoint";
        views.page(ctx, "endpointForm", Map.of("frame", frame(ctx, title), "form", form));
    }

    private void detail(Context ctx) {
        Caller caller = security.require(ctx).caller();
        Endpoint endpoint = endpoint(ctx, caller);
        var activity = services.deliveryHistory().activity(endpoint);
        var recent = services.deliveryHistory()
                .list(caller, ref(endpoint), DeliveryHistory.Filter.ALL, PageRequest.first(RECENT)).page().items();
        Instant since = clock.instant().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
        var view = new EndpointView(endpoint, activity, ActivityChart.of(activity), recent, since);
        Frame frame = frame(ctx, "Endpoint");
        Optional<String> notice = Notices.of(ctx);
        views.page(ctx, "endpoint", Map.of("frame", notice.map(frame::withNotice).orElse(frame), "view", view));
    }

    private void setStatus(Context ctx) {
        Caller caller = security.require(ctx).caller();
        Endpoint endpoint = endpoint(ctx, caller);
        // the portal offers pause and resume / re-enable; disabling is Herald's, after failures
        EndpointStatus status = Optional.ofNullable(ctx.formParam("status")).flatMap(EndpointStatus::fromWire)
                .filter(s -> s == EndpointStatus.ACTIVE || s == EndpointStatus.PAUSED)
                .orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST, "status",
                        "status must be active or paused"));
        services.endpoints().update(caller, ref(endpoint), EndpointPatch.NONE.withStatus(status));
        ctx.redirect(Notices.redirect(path(endpoint), status.wireName()), HttpStatus.SEE_OTHER);
    }

    private void confirmDelete(Context ctx) {
        Caller caller = security.require(ctx).caller();
        Endpoint endpoint = endpoint(ctx, caller);
        views.page(ctx, "confirmDelete", Map.of("frame", frame(ctx, "Delete endpoint"), "endpoint", endpoint));
    }

    private void delete(Context ctx) {
        Caller caller = security.require(ctx).caller();
        Endpoint endpoint = endpoint(ctx, caller);
        services.endpoints().delete(caller, ref(endpoint));
        ctx.redirect(Notices.redirect("/portal/endpoints", "deleted"), HttpStatus.SEE_OTHER);
    }

    private void secrets(Context ctx, boolean rotate) {
        var session = security.require(ctx);
        Endpoint endpoint = endpoint(ctx, session.caller());
        if (rotate) {
            services.endpoints().rotateSecret(session.caller(), ref(endpoint), Optional.empty());
        }
        var view = new SecretsView(path(endpoint), services.endpoints().activeSecrets(session.caller(), ref(endpoint)),
                rotate);
        fragment(ctx, endpoint, rotate ? "Secret rotated" : "Signing secret", "secrets",
                Map.of("view", view, "csrf", session.csrfToken()));
    }

    private void sendTest(Context ctx) {
        Caller caller = security.require(ctx).caller();
        Endpoint endpoint = endpoint(ctx, caller);
        var test = services.deliveries().sendTest(caller, ref(endpoint));
        fragment(ctx, endpoint, "Test event", "testResult", Map.of("test", test));
    }

    private void recover(Context ctx) {
        Caller caller = security.require(ctx).caller();
        Endpoint endpoint = endpoint(ctx, caller);
        services.deliveries().recover(caller, ref(endpoint), since(ctx.formParam("since")));
        ctx.redirect(Notices.redirect(path(endpoint), "recovered"), HttpStatus.SEE_OTHER);
    }

    /** An htmx request gets the fragment alone; a plain form post gets it on a page of its own. */
    private void fragment(Context ctx, Endpoint endpoint, String heading, String template, Map<String, Object> params) {
        String html = views.render(template, params);
        if ("true".equals(ctx.header("HX-Request"))) {
            ctx.contentType("text/html; charset=utf-8");
            ctx.result(html);
            return;
        }
        views.page(ctx, "fragmentPage", Map.of("frame", frame(ctx, heading), "heading", heading,
                "back", path(endpoint), "body", (Content) output -> output.writeContent(html)));
    }

    private static Instant since(String text) {
        return Format.parseInputTime(text).orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST, "since",
                "Pick the date and time to recover from."));
    }

    private Frame frame(Context ctx, String title) {
        return Portal.frame(views, security, ctx, title, Frame.Section.ENDPOINTS);
    }

    private Endpoint endpoint(Context ctx, Caller caller) {
        return services.endpoints().get(caller, EndpointRef.publicId(ctx.pathParam("id")));
    }

    static EndpointRef ref(Endpoint endpoint) {
        return new EndpointRef.Public(endpoint.publicId());
    }

    static String path(Endpoint endpoint) {
        return "/portal/endpoints/" + endpoint.publicId().value();
    }

    /** The endpoint form as submitted, parsed into the shapes the service takes (and kept as typed, to show again). */
    private record FormInput(String url, List<String> events, Optional<String> description, String rateLimitText,
                             String headersText) {
        static FormInput read(Context ctx) {
            List<String> events = ctx.formParams("events");
            if (events.contains(Endpoint.ALL_EVENTS)) {
                events = List.of(Endpoint.ALL_EVENTS);
            }
            String description = text(ctx, "description");
            return new FormInput(text(ctx, "url"), List.copyOf(new LinkedHashSet<>(events)),
                    description.isEmpty() ? Optional.empty() : Optional.of(description), text(ctx, "rate_limit"),
                    Optional.ofNullable(ctx.formParam("headers")).orElse(""));
        }

        private static String text(Context ctx, String name) {
            return Optional.ofNullable(ctx.formParam(name)).orElse("").strip();
        }

        OptionalInt rateLimit() {
            if (rateLimitText.isEmpty()) {
                return OptionalInt.empty();
            }
            try {
                return OptionalInt.of(Integer.parseInt(rateLimitText));
            } catch (NumberFormatException e) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, "rate_limit",
                        "Rate limit must be a whole number of deliveries per second.");
            }
        }

        /** {@code Name: value} lines; blank lines are skipped. */
        Map<String, String> headers() {
            var headers = new LinkedHashMap<String, String>();
            for (String line : headersText.split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw HeraldException.field(ErrorCode.INVALID_REQUEST, "headers",
                            "Write each custom header as Name: value on a line of its own.");
                }
                headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
            return headers;
        }
    }
}

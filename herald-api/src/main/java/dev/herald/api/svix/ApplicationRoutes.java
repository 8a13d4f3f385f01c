package dev.herald.api.svix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.api.idempotency.IdempotentRequests;
import dev.herald.core.account.Account;
import dev.herald.core.error.EchoedText;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.service.svix.SvixIds;
import dev.herald.service.svix.SvixService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/app}: Svix applications, which are Herald accounts. Create ({@code ?get_if_exists=true} answers
 * the application that already has the uid, 200), list, get, replace (PUT; creates one named by a new uid), patch
 * and delete. Only translates; the rules are {@link SvixService}'s and the account service's.
 */
final class ApplicationRoutes implements RouteGroup {
    static final String BASE = "/api/v1/app";
    private static final Set<String> FIELDS = Set.of("name", "uid", "metadata", "rateLimit", "throttleRate");

    private final SvixService svix;
    private final IdempotentRequests idempotency;

    ApplicationRoutes(SvixService svix, IdempotentRequests idempotency) {
        this.svix = svix;
        this.idempotency = idempotency;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(BASE, this::list);
        routes.post(BASE, idempotency.wrap(this::create));
        routes.get(BASE + "/{app_id}", ctx -> Json.write(ctx, SvixJson.application(svix.application(appId(ctx)))));
        routes.put(BASE + "/{app_id}", this::replace);
        routes.patch(BASE + "/{app_id}", this::patch);
        routes.delete(BASE + "/{app_id}", this::delete);
    }

    private void list(Context ctx) {
        Json.write(ctx, SvixPaging.page(SvixPaging.ordered(svix.applications(), ctx), ctx, SvixIds::application,
                SvixJson::application));
    }

    private void create(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, false);
        refuseRateLimit(body);
        boolean getIfExists = Boolean.parseBoolean(ctx.queryParam("get_if_exists"));
        var created = svix.createApplication(body.requiredString("name"), body.optionalString("uid"),
                body.optionalStringMap("metadata").orElse(Map.of()), getIfExists);
        ctx.status(created.created() ? 201 : 200);
        Json.write(ctx, SvixJson.application(created.account()));
    }

    /** PUT replaces name, uid and metadata; an unknown uid in the path creates the application with it (201). */
    private void replace(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, false);
        refuseRateLimit(body);
        String name = body.requiredString("name");
        Map<String, String> metadata = body.optionalStringMap("metadata").orElse(Map.of());
        Optional<Account> found = find(svix, appId(ctx));
        if (found.isEmpty()) {
            String uid = body.optionalString("uid").orElse(appId(ctx));
            if (!Account.UID.matcher(uid).matches() || SvixIds.applicationUuid(uid).isPresent()) {
                throw notFound(appId(ctx));
            }
            ctx.status(201);
            Json.write(ctx, SvixJson.application(svix.createApplication(name, Optional.of(uid), metadata, false)
                    .account()));
            return;
        }
        Json.write(ctx, SvixJson.application(svix.updateApplication(found.get(), name, body.optionalString("uid"),
                metadata)));
    }

    private void patch(Context ctx) {
        var body = RequestBody.parse(ctx, FIELDS, true);
        refuseRateLimit(body);
        Account app = svix.application(appId(ctx));
        String name = body.has("name") ? body.requiredString("name") : app.name();
        Optional<String> uid = body.has("uid") ? body.optionalString("uid") : app.uid();
        Map<String, String> metadata = body.has("metadata")
                ? body.optionalStringMap("metadata").orElse(Map.of()) : app.metadata();
        Json.write(ctx, SvixJson.application(svix.updateApplication(app, name, uid, metadata)));
    }

    private void delete(Context ctx) {
        svix.deleteApplication(svix.application(appId(ctx)));
        ctx.status(204);
    }

    private static Optional<Account> find(SvixService svix, String idOrUid) {
        try {
            return Optional.of(svix.application(idOrUid));
        } catch (HeraldException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Herald limits deliveries per endpoint, not per application. */
    private static void refuseRateLimit(RequestBody body) {
        for (String field : Set.of("rateLimit", "throttleRate")) {
            if (body.hasValue(field)) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, field,
                        field + " is not supported on applications; set it on each endpoint");
            }
        }
    }

    /** The application in the path; when it does not exist and {@code application} is given, created with it. */
    static Account inPathOrCreated(SvixService svix, Context ctx, RequestBody body) {
        String appId = appId(ctx);
        Optional<ObjectNode> inline = body.optionalObject("application");
        if (inline.isEmpty()) {
            return svix.application(appId);
        }
        Optional<Account> found = find(svix, appId);
        if (found.isPresent()) {
            return found.get();
        }
        var application = RequestBody.parse(Json.text(inline.get()).getBytes(StandardCharsets.UTF_8),
                FIELDS, false);
        refuseRateLimit(application);
        Optional<String> uid = application.optionalString("uid").or(() -> Optional.of(appId));
        return svix.createApplication(application.requiredString("name"), uid,
                application.optionalStringMap("metadata").orElse(Map.of()), true).account();
    }

    static String appId(Context ctx) {
        return ctx.pathParam("app_id");
    }

    private static HeraldException notFound(String idOrUid) {
        return HeraldException.of(ErrorCode.NOT_FOUND, "application " + EchoedText.of(idOrUid) + " not found");
    }
}

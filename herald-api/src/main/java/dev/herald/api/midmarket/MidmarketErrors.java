package dev.herald.api.midmarket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ErrorRenderer;
import dev.herald.api.http.HttpStatuses;
import dev.herald.api.http.Json;
import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import io.javalin.http.Context;

import java.util.Map;

/**
 * Midmarket's errors in the FastAPI shape its clients parse: request validation failures are
 * {@code 422 {"detail":[{"loc":["body","endpointUrl"],"msg":"…","type":"value_error"}]}} with the field in
 * Midmarket's spelling; everything else is {@code {"detail":"…"}} with the code's status.
 */
public final class MidmarketErrors implements ErrorRenderer {
    /** Canonical field names the shared rules report, in Midmarket's spelling. */
    private static final Map<String, String> FIELD_NAMES = Map.of("url", "endpointUrl", "events", "eventTypes");
    private static final String EXTRA_FORBIDDEN = "extra_forbidden";
    /** The list's parameters ({@code ListWindow}); every other field is the body's. */
    private static final java.util.Set<String> QUERY_PARAMETERS = java.util.Set.of("limit", "offset");

    @Override
    public void render(Context ctx, HeraldException error, RequestId requestId) {
        var body = Json.object();
        switch (error.code()) {
            case INVALID_REQUEST, INVALID_URL, INVALID_EVENTS, INVALID_RETRY_SCHEDULE, WEBHOOK_DISABLED -> {
                ctx.status(422);
                body.putArray("detail").add(validationDetail(error));
            }
            default -> {
                ctx.status(HttpStatuses.of(error.code()));
                body.put("detail", detail(error));
            }
        }
        Json.write(ctx, body);
    }

    private static ObjectNode validationDetail(HeraldException error) {
        String type = validationType(error);
        var item = Json.object();
        var loc = item.putArray("loc");
        // FastAPI names where the bad value was: the list's query parameters, else the body
        loc.add(error.field().filter(QUERY_PARAMETERS::contains).isPresent() ? "query" : "body");
        // an unknown field is named as the caller sent it; every other field name from the shared rules is canonical
        error.field().ifPresent(f -> loc.add(type.equals(EXTRA_FORBIDDEN) ? f : FIELD_NAMES.getOrDefault(f, f)));
        item.put("msg", error.getMessage());
        item.put("type", type);
        return item;
    }

    /** Pydantic's type names for the failures clients branch on; everything else is a {@code value_error}. */
    private static String validationType(HeraldException error) {
        return switch (error.reason()) {
            case MALFORMED_BODY -> "json_invalid";
            case UNKNOWN_FIELD -> EXTRA_FORBIDDEN;
            case MISSING_FIELD -> "missing";
            case INVALID_VALUE, OTHER -> "value_error";
        };
    }

    /** Starlette's wording for the generic statuses; Herald's message where it says more. */
    private static String detail(HeraldException error) {
        return switch (error.code()) {
            case NOT_FOUND -> "Not Found";
            case WEBHOOK_NOT_FOUND -> "Subscription not found";
            case METHOD_NOT_ALLOWED -> "Method Not Allowed";
            default -> error.getMessage();
        };
    }
}

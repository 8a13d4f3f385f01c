package dev.herald.api.apimall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestIds;
import io.javalin.http.Context;

/**
 * API Mall's response envelope (seeds 000, 001): {@code {"success":true,"data":…,"request_id":"req_…"}} and
 * {@code {"success":false,"error":{"code","message"},"request_id":"req_…"}}.
 */
final class ApiMallEnvelope {
    private ApiMallEnvelope() {
    }

    static void success(Context ctx, JsonNode data) {
        var body = Json.object();
        body.put("success", true);
        body.set("data", data);
        body.put("request_id", RequestIds.of(ctx).value());
        ctx.status(200);
        Json.write(ctx, body);
    }

    static ObjectNode failure(String code, String message, String requestId) {
        var body = Json.object();
        body.put("success", false);
        var error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        body.put("request_id", requestId);
        return body;
    }
}

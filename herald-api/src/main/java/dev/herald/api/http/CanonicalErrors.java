package dev.herald.api.http;

import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import io.javalin.http.Context;

/** Canonical error body: {@code {"error":{"code":"invalid_url","message":"…"}}} with the code's status. */
public final class CanonicalErrors implements ErrorRenderer {
    @Override
    public void render(Context ctx, HeraldException error, RequestId requestId) {
        var body = Json.object();
        var inner = body.putObject("error");
        inner.put("code", error.code().code());
        inner.put("message", error.getMessage());
        error.field().ifPresent(f -> inner.put("field", f));
        ctx.status(HttpStatuses.of(error.code()));
        Json.write(ctx, body);
    }
}

package dev.herald.api.http;

import dev.herald.core.id.RequestId;
import io.javalin.http.Context;

/** Gives every request a {@code req_…} id, sent back in {@code X-Request-Id} and used in logs and errors. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = "herald.requestId";

    private RequestIds() {
    }

    public static RequestId of(Context ctx) {
        RequestId id = ctx.attribute(ATTRIBUTE);
        if (id == null) {
            id = RequestId.generate();
            ctx.attribute(ATTRIBUTE, id);
            ctx.header(HEADER, id.value());
        }
        return id;
    }
}

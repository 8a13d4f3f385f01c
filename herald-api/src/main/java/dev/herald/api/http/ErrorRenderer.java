package dev.herald.api.http;

import dev.herald.core.error.HeraldException;
import dev.herald.core.id.RequestId;
import io.javalin.http.Context;

/**
 * Writes an error in one dialect's shape (status and body). Each surface has one; the server's single error
 * handler chooses it by {@link Surface}.
 */
@FunctionalInterface
public interface ErrorRenderer {
    void render(Context ctx, HeraldException error, RequestId requestId);
}

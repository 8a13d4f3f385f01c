package dev.herald.api.http;

import io.javalin.http.Context;

/** Sees every completed request (metrics, access logs). Must be cheap and must not throw. */
@FunctionalInterface
public interface RequestObserver {
    void completed(Context ctx);
}

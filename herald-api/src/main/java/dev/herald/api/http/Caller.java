package dev.herald.api.http;

import dev.herald.core.account.AccountId;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.id.RequestId;
import io.javalin.http.Context;

import java.util.Objects;

/** The authenticated caller of a request: the API key's account and id, and the request's id. */
public record Caller(AccountId account, ApiKeyId key, RequestId requestId) {
    static final String ATTRIBUTE = "herald.caller";

    public Caller {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestId, "requestId");
    }

    /** The caller the authentication filter attached; every non-public route has one. */
    public static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("route registered without authentication: " + ctx.path());
        }
        return caller;
    }
}

package dev.herald.api.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.ApiTime;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.api.http.RouteGroup;
import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.AccountStatus;
import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.platform.PlatformKey;
import dev.herald.core.platform.PlatformKeyId;
import dev.herald.core.platform.PlatformKeyToken;
import dev.herald.service.account.AccountService;
import dev.herald.service.platform.PlatformKeyService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /admin/v1}: accounts (create, list, show, disable or enable, delete), their API keys and platform keys, for
 * the platform (the configured admin token or a platform key). The same operations as {@code herald account …},
 * {@code herald key …} and {@code herald platform-key …}; the rules live in {@link AccountService} and
 * {@link PlatformKeyService}.
 */
public final class AdminRoutes implements RouteGroup {
    private final AccountService admin;
    private final PlatformKeyService platformKeys;

    public AdminRoutes(AccountService admin, PlatformKeyService platformKeys) {
        this.admin = admin;
        this.platformKeys = platformKeys;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/admin/v1/accounts", this::createAccount);
        routes.get("/admin/v1/accounts", this::listAccounts);
        routes.get("/admin/v1/accounts/{account}", ctx -> Json.write(ctx, account(admin.account(accountId(ctx)))));
        routes.patch("/admin/v1/accounts/{account}", this::updateAccount);
        routes.delete("/admin/v1/accounts/{account}", this::deleteAccount);
        routes.post("/admin/v1/accounts/{account}/keys", this::createKey);
        routes.get("/admin/v1/accounts/{account}/keys", this::listKeys);
        routes.delete("/admin/v1/keys/{key}", this::revokeKey);
        routes.post("/admin/v1/platform-keys", this::createPlatformKey);
        routes.get("/admin/v1/platform-keys", this::listPlatformKeys);
        routes.delete("/admin/v1/platform-keys/{key}", this::revokePlatformKey);
    }

    private void createPlatformKey(Context ctx) {
        var body = RequestBody.parse(ctx, Set.of("name"), false);
        var issued = platformKeys.issue(body.requiredString("name"));
        ObjectNode json = platformKey(issued.key());
        json.put("key", issued.token().value());
        ctx.status(201);
        Json.write(ctx, json);
    }

    private void listPlatformKeys(Context ctx) {
        var data = Json.array();
        platformKeys.list().forEach(k -> data.add(platformKey(k)));
        var body = Json.object();
        body.set("data", data);
        Json.write(ctx, body);
    }

    private void revokePlatformKey(Context ctx) {
        Json.write(ctx, platformKey(platformKeys.revoke(new PlatformKeyId(positive(ctx.pathParam("key"), "key")))));
    }

    private void createAccount(Context ctx) {
        var body = RequestBody.parse(ctx, Set.of("name", "uid", "metadata"), false);
        Account created = admin.createAccount(body.requiredString("name"), body.optionalString("uid"),
                body.optionalStringMap("metadata").orElse(Map.of()));
        ctx.status(201);
        Json.write(ctx, account(created));
    }

    private void updateAccount(Context ctx) {
        var body = RequestBody.parse(ctx, Set.of("status"), false);
        String text = body.requiredString("status");
        AccountStatus status = AccountStatus.fromWire(text).filter(s -> s != AccountStatus.DELETED)
                .orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST, "status",
                        "status must be active or disabled"));
        Json.write(ctx, account(admin.setStatus(accountId(ctx), status)));
    }

    /** 204 once every row is gone; 202 while an attempt in flight keeps a few (delete again to finish). */
    private void deleteAccount(Context ctx) {
        var deletion = admin.delete(accountId(ctx));
        if (deletion.complete()) {
            ctx.status(204);
            return;
        }
        var json = Json.object();
        json.put("id", deletion.account().value());
        json.put("status", AccountStatus.DELETED.wireName());
        json.put("purge_complete", false);
        ctx.status(202);
        Json.write(ctx, json);
    }

    private void listAccounts(Context ctx) {
        var data = Json.array();
        admin.accounts().forEach(a -> data.add(account(a)));
        var body = Json.object();
        body.set("data", data);
        Json.write(ctx, body);
    }

    private void createKey(Context ctx) {
        var body = RequestBody.parse(ctx, Set.of("name"), true);
        var issued = admin.issueKey(accountId(ctx), body.optionalString("name").orElse("default"));
        ObjectNode json = key(issued.key());
        json.put("key", issued.token().value());
        ctx.status(201);
        Json.write(ctx, json);
    }

    private void listKeys(Context ctx) {
        var data = Json.array();
        admin.keys(accountId(ctx)).forEach(k -> data.add(key(k)));
        var body = Json.object();
        body.set("data", data);
        Json.write(ctx, body);
    }

    private void revokeKey(Context ctx) {
        Json.write(ctx, key(admin.revokeKey(new ApiKeyId(positive(ctx.pathParam("key"), "key")))));
    }

    private static AccountId accountId(Context ctx) {
        return new AccountId(positive(ctx.pathParam("account"), "account"));
    }

    private static long positive(String text, String what) {
        try {
            long v = Long.parseLong(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw HeraldException.of(ErrorCode.NOT_FOUND, what + " " + text + " not found");
    }

    static ObjectNode account(Account a) {
        var json = Json.object();
        json.put("id", a.id().value());
        json.put("uuid", a.uuid().toString());
        json.put("name", a.name());
        json.put("status", a.status().wireName());
        if (a.uid().isPresent()) {
            json.put("uid", a.uid().get());
        } else {
            json.putNull("uid");
        }
        var metadata = json.putObject("metadata");
        a.metadata().forEach(metadata::put);
        json.put("created_at", ApiTime.seconds(a.createdAt()));
        return json;
    }

    static ObjectNode key(ApiKey k) {
        var json = Json.object();
        json.put("id", k.id().value());
        json.put("account_id", k.accountId().value());
        json.put("name", k.name());
        json.put("hint", ApiKeyToken.PREFIX + "…" + k.hint());
        times(json, k.createdAt(), k.revokedAt());
        return json;
    }

    static ObjectNode platformKey(PlatformKey k) {
        var json = Json.object();
        json.put("id", k.id().value());
        json.put("name", k.name());
        json.put("hint", PlatformKeyToken.PREFIX + "…" + k.hint());
        times(json, k.createdAt(), k.revokedAt());
        return json;
    }

    private static void times(ObjectNode json, Instant createdAt, Optional<Instant> revokedAt) {
        json.put("created_at", ApiTime.seconds(createdAt));
        if (revokedAt.isPresent()) {
            json.put("revoked_at", ApiTime.seconds(revokedAt.get()));
        } else {
            json.putNull("revoked_at");
        }
    }
}

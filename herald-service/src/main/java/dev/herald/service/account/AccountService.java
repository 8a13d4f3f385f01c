package dev.herald.service.account;

import dev.herald.core.account.Account;
import dev.herald.core.account.AccountId;
import dev.herald.core.account.AccountStatus;
import dev.herald.core.account.ApiKey;
import dev.herald.core.account.ApiKeyId;
import dev.herald.core.account.ApiKeyToken;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.error.EchoedText;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates accounts, disables, enables and deletes them, and issues and revokes API keys; used by both the CLI and
 * the admin API. A disabled account's keys are refused and its endpoints' deliveries held until it is enabled; a
 * deleted one is disabled the same way, then purged row by row.
 */
public final class AccountService {
    /** Rows per purge transaction, as retention uses, so other writers never wait long for a deletion. */
    static final int PURGE_BATCH = 1_000;

    private final Store store;
    private final Clock clock;
    private final Consumer<ApiKeyId> revoked;
    private final Consumer<EndpointId> endpointChanged;

    public AccountService(Store store, Clock clock) {
        this(store, clock, id -> { }, id -> { });
    }

    /** {@code revoked} hears of every key revoked here (the server's authenticator forgets it at once). */
    public AccountService(Store store, Clock clock, Consumer<ApiKeyId> revoked) {
        this(store, clock, revoked, id -> { });
    }

    /**
     * {@code revoked} also hears of every key of an account that stops working (disabled or deleted), and
     * {@code endpointChanged} of each of that account's endpoints (the delivery engine drops what it had cached, so
     * nothing more is sent to them from this process).
     */
    public AccountService(Store store, Clock clock, Consumer<ApiKeyId> revoked,
                                 Consumer<EndpointId> endpointChanged) {
        this.store = store;
        this.clock = clock;
        this.revoked = revoked;
        this.endpointChanged = endpointChanged;
    }

    /** A freshly issued key: the plaintext token exists only here and is shown once. */
    public record IssuedKey(ApiKey key, ApiKeyToken token) {
    }

    /**
     * What a deletion achieved: {@code complete} when every row is gone; otherwise deliveries still leased by a
     * running node (an attempt in flight) keep some rows, and deleting again once their leases end finishes.
     */
    public record Deletion(AccountId account, boolean complete) {
    }

    /** Most metadata entries an account may carry, and the longest key and value. */
    public static final int MAX_METADATA = 50;
    public static final int MAX_METADATA_TEXT = 1000;

    public Account createAccount(String name) {
        return createAccount(name, Optional.empty(), Map.of());
    }

    /** An account the platform may also name by its own {@code uid} (unique), with its own {@code metadata}. */
    public Account createAccount(String name, Optional<String> uid, Map<String, String> metadata) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name", "account name must be 1-200 characters");
        }
        if (uid.isPresent() && !Account.UID.matcher(uid.get()).matches()) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "uid",
                    "uid must be 1-256 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
        if (metadata.size() > MAX_METADATA || metadata.entrySet().stream().anyMatch(e -> e.getKey().isEmpty()
                || e.getKey().length() > MAX_METADATA_TEXT || e.getValue().length() > MAX_METADATA_TEXT)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "metadata", "metadata holds at most "
                    + MAX_METADATA + " entries, keys of 1-" + MAX_METADATA_TEXT + " and values of at most "
                    + MAX_METADATA_TEXT + " characters");
        }
        return store.accounts().create(name.strip(), uid, metadata, clock.instant())
                .orElseThrow(() -> HeraldException.field(ErrorCode.CONFLICT, "uid",
                        "uid " + uid.orElseThrow() + " already names another account"));
    }

    /** The account named by its integer id or by the platform's uid for it. */
    public Account account(String idOrUid) {
        Optional<Account> found = isInteger(idOrUid)
                ? store.accounts().find(new AccountId(Long.parseLong(idOrUid)))
                : store.accounts().findByUid(idOrUid);
        return found.orElseThrow(() -> HeraldException.field(ErrorCode.ACCOUNT_NOT_FOUND, "account",
                "account " + EchoedText.of(idOrUid) + " not found"));
    }

    private static boolean isInteger(String text) {
        return text.length() <= 18 && !text.isEmpty() && text.chars().allMatch(Character::isDigit)
                && Long.parseLong(text) > 0;
    }

    /** Active and disabled accounts; deleted ones are gone. */
    public List<Account> accounts() {
        return store.accounts().list();
    }

    public Account account(AccountId id) {
        return store.accounts().find(id).orElseThrow(() -> accountNotFound(id));
    }

    /**
     * Sets an account {@code active} or {@code disabled} (deletion has its own operation, {@link #delete}); setting
     * the status it already has changes nothing.
     */
    public Account setStatus(AccountId id, AccountStatus status) {
        return switch (status) {
            case ACTIVE -> enable(id);
            case DISABLED -> disable(id);
            case DELETED -> throw HeraldException.field(ErrorCode.INVALID_REQUEST, "status",
                    "status must be active or disabled; delete an account with DELETE or `herald account delete`");
        };
    }

    /**
     * Stops the account: its keys are refused from now on (on other nodes within their key cache time), its
     * endpoints' pending deliveries are held and nothing more is sent to them. Safe to repeat.
     */
    public Account disable(AccountId id) {
        Account account = account(id);
        store.accounts().setStatus(id, AccountStatus.DISABLED);
        stop(id);
        return account.withStatus(AccountStatus.DISABLED);
    }

    /** Lets a disabled account work again: its keys, and its receiving endpoints' held deliveries, due now. */
    public Account enable(AccountId id) {
        Account account = account(id);
        if (store.accounts().setStatus(id, AccountStatus.ACTIVE)) {
            store.deliveries().releaseAccount(id, clock.instant());
            forEachEndpoint(id, endpoint -> endpointChanged.accept(endpoint.id()));
        }
        return account.withStatus(AccountStatus.ACTIVE);
    }

    /**
     * Deletes the account and everything it owns: first it is stopped as {@link #disable} stops it (and is from
     * then on invisible), then its rows are purged in bounded batches. Repeating a deletion that was not complete
     * resumes the purge.
     */
    public Deletion delete(AccountId id) {
        Account account = store.accounts().findInAnyStatus(id).orElseThrow(() -> accountNotFound(id));
        if (account.status() != AccountStatus.DELETED) {
            store.accounts().setStatus(id, AccountStatus.DELETED);
            stop(id);
        }
        while (store.accounts().purge(id, clock.instant(), PURGE_BATCH) > 0) {
            // Each batch is its own short transaction; loop until nothing more can go.
        }
        return new Deletion(id, store.accounts().findInAnyStatus(id).isEmpty());
    }

    /** Holds the account's deliveries, then tells the authenticator and the engine, which re-read the store. */
    private void stop(AccountId id) {
        store.deliveries().holdAccount(id, clock.instant());
        store.apiKeys().list(id).forEach(key -> revoked.accept(key.id()));
        forEachEndpoint(id, endpoint -> endpointChanged.accept(endpoint.id()));
    }

    private void forEachEndpoint(AccountId id, Consumer<Endpoint> action) {
        Optional<String> cursor = Optional.empty();
        do {
            var page = store.endpoints().list(id, new PageRequest(cursor, PageRequest.MAX_LIMIT));
            page.items().forEach(action);
            cursor = page.nextCursor();
        } while (cursor.isPresent());
    }

    public IssuedKey issueKey(AccountId accountId, String name) {
        account(accountId);
        String keyName = name == null || name.isBlank() ? "default" : name.strip();
        if (keyName.length() > 200) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name", "key name must be at most 200 characters");
        }
        ApiKeyToken token = ApiKeyToken.generate();
        ApiKey key = store.apiKeys().create(accountId, keyName, token.hash(), token.hint(), clock.instant());
        return new IssuedKey(key, token);
    }

    public List<ApiKey> keys(AccountId accountId) {
        account(accountId);
        return store.apiKeys().list(accountId);
    }

    public ApiKey revokeKey(ApiKeyId id) {
        ApiKey key = store.apiKeys().find(id)
                .orElseThrow(() -> HeraldException.of(ErrorCode.NOT_FOUND, "API key " + id + " not found"));
        store.apiKeys().revoke(id, clock.instant());
        revoked.accept(id);
        return store.apiKeys().find(id).orElse(key);
    }

    private static HeraldException accountNotFound(AccountId id) {
        return HeraldException.of(ErrorCode.NOT_FOUND, "account " + id + " not found");
    }
}

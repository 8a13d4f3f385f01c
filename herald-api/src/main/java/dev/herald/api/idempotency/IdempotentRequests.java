package dev.herald.api.idempotency;

import dev.herald.api.http.Callers;
import dev.herald.api.http.Json;
import dev.herald.api.http.RequestBody;
import dev.herald.core.account.AccountId;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.signing.Sha256;
import dev.herald.store.IdempotencyRecord;
import dev.herald.store.IdempotencyRecords;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes POST routes safe to repeat with an {@code Idempotency-Key} header: the first successful (2xx) response
 * is stored for the retention window and replayed (same status and body) to any repeat with the same key and
 * the same request (SHA-256 of method, path and body); the same key with a different request is
 * {@code 409 idempotency_conflict}. Failed requests are not stored, because they changed nothing and a
 * corrected retry should run. Keys are per account and per {@code scope} (one surface), so dialects do not
 * see each other's keys; on a platform surface ({@link #createForPlatform}) they are the platform's own, per scope.
 * Requests without the header run as usual.
 *
 * <p>Repeats with the same key are serialised within this process, so a client retrying while its first
 * request still runs gets the replay, not a second execution. Across cluster nodes the stored record decides
 * (first writer wins); two nodes racing on one key may both execute, which the publisher's own
 * idempotency-key check covers for events.
 */
public final class IdempotentRequests {
    public static final String HEADER = "Idempotency-Key";
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    public static final int MAX_KEY_LENGTH = 255;
    /** Tells a client that it got a stored response, not a new execution. */
    public static final String REPLAY_HEADER = "Idempotent-Replayed";
    /** The separators of {@link #requestHash}'s message: method, space, path, newline, body. */
    private static final byte[] SPACE = {' '};
    private static final byte[] NEWLINE = {'\n'};

    private final IdempotencyRecords records;
    private final boolean platform;
    private final String scope;
    private final Duration retention;
    private final Clock clock;
    /** Striped so memory stays fixed; two keys sharing a stripe only wait for each other briefly. */
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    private IdempotentRequests(IdempotencyRecords records, boolean platform, String scope, Duration retention,
                               Clock clock) {
        this.records = records;
        this.platform = platform;
        this.scope = scope;
        this.retention = retention;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** {@code scope} names the surface, e.g. {@code canonical} or {@code api_mall}. */
    public static IdempotentRequests create(IdempotencyRecords records, String scope, Duration retention, Clock clock) {
        return create(records, false, scope, retention, clock);
    }

    /** For a surface the platform calls (its requests belong to no account): keys are the platform's, per scope. */
    public static IdempotentRequests createForPlatform(IdempotencyRecords records, String scope, Duration retention,
                                                      Clock clock) {
        return create(records, true, scope, retention, clock);
    }

    private static IdempotentRequests create(IdempotencyRecords records, boolean platform, String scope,
                                             Duration retention, Clock clock) {
        if (scope == null || scope.isBlank()) {
            throw new IllegalArgumentException("scope is required");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        return new IdempotentRequests(records, platform, scope, retention, clock);
    }

    /** The handler that runs {@code handler} at most once per idempotency key. */
    public Handler wrap(Handler handler) {
        return ctx -> handle(ctx, handler);
    }

    private void handle(Context ctx, Handler handler) throws Exception {
        Optional<String> key = key(ctx);
        if (key.isEmpty()) {
            handler.handle(ctx);
            return;
        }
        Optional<AccountId> account = platform ? Optional.empty() : Optional.of(Callers.of(ctx).account());
        String requestHash = requestHash(ctx);
        String owner = account.map(a -> Long.toString(a.value())).orElse("platform");
        ReentrantLock lock = stripes[Math.floorMod((owner + "\n" + key.get()).hashCode(), stripes.length)];
        lock.lock();
        try {
            Instant now = clock.instant();
            Optional<IdempotencyRecord> stored = account.isPresent()
                    ? records.find(account.get(), scope, key.get(), now.minus(retention))
                    : records.findForPlatform(scope, key.get(), now.minus(retention));
            if (stored.isPresent()) {
                replay(ctx, stored.get(), requestHash);
                return;
            }
            handler.handle(ctx);
            int status = ctx.statusCode();
            if (status >= 200 && status < 300) {
                remember(account, key.get(), new IdempotencyRecord(requestHash, status, body(ctx), now));
            }
        } finally {
            lock.unlock();
        }
    }

    private void remember(Optional<AccountId> account, String key, IdempotencyRecord record) {
        IdempotencyRecord kept = put(account, key, record);
        if (kept.createdAt().isBefore(record.createdAt().minus(retention))) {
            // An expired record nobody purged yet holds the key: purge and store ours.
            records.purgeOlderThan(record.createdAt().minus(retention));
            put(account, key, record);
        }
    }

    private IdempotencyRecord put(Optional<AccountId> account, String key, IdempotencyRecord record) {
        return account.isPresent()
                ? records.putIfAbsent(account.get(), scope, key, record)
                : records.putIfAbsentForPlatform(scope, key, record);
    }

    private static void replay(Context ctx, IdempotencyRecord stored, String requestHash) {
        if (!stored.requestHash().equals(requestHash)) {
            throw HeraldException.field(ErrorCode.IDEMPOTENCY_CONFLICT, HEADER,
                    "Idempotency-Key was already used for a different request");
        }
        ctx.status(stored.status());
        ctx.header(REPLAY_HEADER, "true");
        if (!stored.body().isEmpty()) {
            ctx.contentType("application/json").result(stored.body());
        }
    }

    private static Optional<String> key(Context ctx) {
        String key = ctx.header(HEADER);
        if (key == null) {
            return Optional.empty();
        }
        String trimmed = key.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_KEY_LENGTH) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, HEADER,
                    "Idempotency-Key must be 1-" + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, HEADER,
                        "Idempotency-Key must be printable ASCII");
            }
        }
        return Optional.of(trimmed);
    }

    /** The answer's body: a result, or what {@link Json#answer} wrote. */
    private static String body(Context ctx) {
        String result = ctx.result();
        return result != null ? result : Json.answered(ctx).orElse("");
    }

    /** SHA-256 over method, path and body, so the same key on another route or body is a conflict. */
    static String requestHash(Context ctx) {
        return Sha256.hex(ctx.method().name().getBytes(StandardCharsets.UTF_8), SPACE,
                ctx.path().getBytes(StandardCharsets.UTF_8), NEWLINE, RequestBody.bytes(ctx));
    }
}

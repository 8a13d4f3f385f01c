package dev.herald.store;

import dev.herald.core.account.AccountId;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointSecret;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.signing.SigningSecret;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Endpoints with their secrets and counters. Every lookup is scoped to an account, so another account's id
 * is indistinguishable from a missing one. Deleted endpoints are invisible to every method.
 */
public interface Endpoints {
    /** Inserts the endpoint, its first secret and a zero counter row in one transaction. */
    Endpoint create(NewEndpoint endpoint, Instant now);

    Optional<Endpoint> find(AccountId account, EndpointId id);

    Optional<Endpoint> findByUuid(AccountId account, UUID uuid);

    Optional<Endpoint> findByPublicId(AccountId account, WebhookId id);

    /** Unscoped lookup for the delivery engine, which works across accounts. */
    Optional<Endpoint> findForDelivery(EndpointId id);

    /** Newest first (by integer id), stable under concurrent inserts. */
    Page<Endpoint> list(AccountId account, PageRequest page);

    /**
     * The account's endpoints that may receive new events (not disabled, not deleted). Type and key matching
     * is {@link Endpoint#subscribesTo}'s job.
     */
    List<Endpoint> candidatesForFanOut(AccountId account);

    /**
     * Writes url, event types, description, status, rate limit, headers and destination config (not its type,
     * which never changes) of {@code endpoint} and sets updated_at to {@code now}; empty when it no longer exists.
     */
    Optional<Endpoint> update(Endpoint endpoint, Instant now);

    /** Sets the status unless already equal or deleted; true when a row changed. */
    boolean setStatus(EndpointId id, EndpointStatus status, Instant now);

    /**
     * Sets {@code to} only when the current status is one of {@code from}, atomically; true when it changed.
     * The delivery engine uses it so an automatic transition never overrides a user's pause or disable.
     */
    boolean transitionStatus(EndpointId id, List<EndpointStatus> from, EndpointStatus to, Instant now);

    /** Soft-deletes; false when it did not exist (or belongs to another account). */
    boolean delete(AccountId account, EndpointId id, Instant now);

    /** Secrets valid at {@code now}, newest first. */
    List<EndpointSecret> activeSecrets(EndpointId id, Instant now);

    /**
     * Adds {@code secret} as the newest and makes every other unexpired secret expire at
     * {@code now + overlap} (immediately when overlap is zero), in one transaction.
     */
    EndpointSecret rotateSecret(EndpointId id, SigningSecret secret, Duration overlap, Instant now);

    /** Non-deleted endpoints of all accounts per status, every status present (zero when none), for metrics. */
    Map<EndpointStatus, Long> countByStatus();
}

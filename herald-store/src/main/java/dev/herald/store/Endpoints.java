package dev.herald.store;

import dev.herald.core.account.AccountId;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointSecret;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.WebhookId;
import dev.herald.core.signing.SigningSecret;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /** The account's live endpoint the platform calls {@code uid}. */
    Optional<Endpoint> findByUid(AccountId account, String uid);

    /** Unscoped lookup for the delivery engine, which works across accounts. */
    Optional<Endpoint> findForDelivery(EndpointId id);

    /** Newest first (by integer id), stable under concurrent inserts. */
    default Page<Endpoint> list(AccountId account, PageRequest page) {
        return list(account, page, ListOrder.NEWEST_FIRST);
    }

    /** In {@code order} by integer id; the cursor continues in that direction. */
    Page<Endpoint> list(AccountId account, PageRequest page, ListOrder order);

    /**
     * The account's endpoints that may receive new events (not disabled, not deleted). Type and key matching
     * is {@link Endpoint#subscribesTo}'s job.
     */
    List<Endpoint> candidatesForFanOut(AccountId account);

    /**
     * Writes only the fields {@code changes} names (and updated_at), then its status if one is given and differs,
     * compare-and-set with the status's effect on pending deliveries ({@link #changeStatus}), all in one
     * transaction; empty when the endpoint no longer exists in that account. A new URL or destination closes an open
     * circuit and releases what it held: the old address's failures say nothing about the new one.
     */
    Optional<Endpoint> update(AccountId account, EndpointId id, EndpointChanges changes, Instant now);

    /**
     * Sets {@code to} only when the current status is one of {@code from} (and not already {@code to}), atomically,
     * and in the same transaction holds pending deliveries (to paused), cancels them (to disabled) or releases
     * held ones (from paused to active or failing). Empty when nothing changed: a concurrent writer got there first,
     * or the endpoint is gone. Automatic changes pass the statuses they may replace, so a user's pause or disable
     * is never overridden.
     */
    Optional<StatusChange> changeStatus(EndpointId id, Set<EndpointStatus> from, EndpointStatus to, Instant now);

    /** {@link #changeStatus} from whatever the status is now; true when it changed. */
    default boolean setStatus(EndpointId id, EndpointStatus to, Instant now) {
        return changeStatus(id, EnumSet.complementOf(EnumSet.of(to)), to, now).isPresent();
    }

    /**
     * Opens the circuit of a {@code failing} endpoint, compare-and-set: a half-open circuit always (a failure during
     * the ramp), a closed one when {@code streak} (the endpoint has failed the configured number of times in a row).
     * Delivery {@code probeKey} (the oldest of those that just failed) keeps its retry schedule and probes the
     * endpoint, and every other pending delivery is held in the same transaction (not sent, not charged an attempt;
     * released later due since it was created, so it keeps its place). Empty when nothing changed (not failing,
     * already open, a concurrent writer got there first, or gone).
     */
    Optional<CircuitStep> openCircuit(EndpointId id, long probeKey, boolean streak, Instant now);

    /**
     * After a success: an open circuit half-opens and releases its oldest held delivery; a half-open one whose
     * released deliveries have all finished releases twice as many ({@code 1, 2, 4 …} up to {@code maxWidth}),
     * and once a step of {@code maxWidth} has finished it closes: the status goes from {@code failing} back to
     * {@code active} ({@link #changeStatus}), releasing everything still held. It closes at once when nothing is
     * held, and a failing endpoint whose circuit is closed (it held nothing, or its address changed) becomes
     * {@code active}. Compare-and-set on the stored circuit, so of several nodes hearing of successes one takes each
     * step. Empty when no step was due.
     */
    Optional<CircuitStep> advanceCircuit(EndpointId id, int maxWidth, Instant now);

    /**
     * An open circuit whose probe finished without a success (failed for good, or no longer pending) gets a new
     * probe: its oldest held delivery, due now. With nothing held, the circuit closes and the status stays
     * {@code failing}, so the next failure opens it again. Empty when the circuit is not open or its probe is
     * still pending.
     */
    Optional<CircuitStep> reprobeCircuit(EndpointId id, Instant now);

    /**
     * Circuits nothing is left to move on, by endpoint: open with no pending probe, or half-open with no pending
     * delivery that is not held (the ramp's step all finished), every other delivery held. Left so when an attempt's
     * end was recorded but the circuit's next step never taken (the node that recorded it died in between, or two
     * nodes' steps crossed). {@link #reprobeCircuit} repairs an open one, {@link #advanceCircuit} a half-open one.
     */
    Map<EndpointId, Circuit> stalledCircuits();

    /** Non-deleted endpoints of all accounts per circuit state, every state present, for metrics. */
    Map<Circuit, Long> countByCircuit();

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

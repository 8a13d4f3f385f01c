package dev.herald.store;

import dev.herald.core.account.AccountId;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.event.EventId;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * The delivery queue and its attempt log. Work is claimed with a lease: a node that dies leaves leases that
 * expire, and another node (or the same one after restart) claims the work again — at-least-once.
 */
public interface Deliveries {
    /**
     * Leases up to {@code limit} pending deliveries that are due ({@code next_attempt_at <= now}) and not
     * leased by anyone (or whose lease expired), oldest due first. On PostgreSQL concurrent claimers never
     * get the same row ({@code FOR UPDATE SKIP LOCKED}).
     */
    default List<ClaimedDelivery> claimDue(Lease lease, Instant now, int limit) {
        return claimDue(lease, now, limit, endpoint -> limit).claimed();
    }

    /**
     * Like {@link #claimDue(Lease, Instant, int)}, taking at most {@code room.applyAsInt(endpoint)} deliveries of any
     * one endpoint: of the {@code limit} oldest due deliveries, those beyond their endpoint's room are left untouched
     * (not leased, not written) and their endpoints named in {@link DueClaim#leftFor()}. A claimer whose lanes are
     * full thus costs the store one bounded read instead of leases it would have to give back.
     */
    DueClaim claimDue(Lease lease, Instant now, int limit, ToIntFunction<EndpointId> room);

    /**
     * Moves {@code lease.owner()}'s leases on these deliveries to {@code lease.until()}, in one statement (per 500
     * keys), so work claimed but not taken is claimed again then, here or by another node. Deliveries no longer
     * pending or leased by someone else are left alone. Returns how many leases moved.
     */
    int giveBack(List<Long> deliveryKeys, Lease lease);

    /**
     * Records a batch of attempt outcomes in one transaction: inserts the attempts, updates each delivery
     * (only while it is still pending: a delivery cancelled meanwhile stays cancelled) and clears its lease,
     * and updates the endpoint counters. A delivery that failed and is to be retried while its endpoint's circuit is
     * open, and that is not the circuit's probe (it was in flight when the circuit opened), is held instead. Returns
     * the endpoints touched as the batch left them (their counters, status and circuit, read in the same
     * transaction), but for those that are active, with a closed circuit, and whose attempts in the batch all
     * delivered: nothing follows from those (their streak of failures, if any, is over), and nearly every endpoint of
     * nearly every batch is one.
     */
    Map<EndpointId, EndpointStanding> recordAttempts(List<AttemptRecord> records);

    Optional<Delivery> find(AccountId account, DeliveryId id);

    Optional<Delivery> findByKey(long deliveryKey);

    /** Newest first, optionally only those in {@code state}. */
    Page<Delivery> listForEndpoint(EndpointId endpoint, Optional<DeliveryState> state, PageRequest page);

    /** Oldest first. */
    List<Attempt> attempts(long deliveryKey);

    /** Every attempt of every delivery of the account's event, newest first. */
    List<EventAttempt> attemptsOfEvent(AccountId account, EventId event);

    /** How many of the endpoint's deliveries are in each state (every state present, zero when none). */
    Map<DeliveryState, Long> countByState(EndpointId endpoint);

    /** The endpoint's attempts, newest first. */
    default Page<EventAttempt> attemptsOfEndpoint(EndpointId endpoint, PageRequest page) {
        return attemptsOfEndpoint(endpoint, page, ListOrder.NEWEST_FIRST);
    }

    /** The endpoint's attempts in {@code order}; the cursor continues in that direction. */
    Page<EventAttempt> attemptsOfEndpoint(EndpointId endpoint, PageRequest page, ListOrder order);

    /** Holds the pending deliveries of every endpoint of the account (disabled account); returns how many. */
    int holdAccount(AccountId account, Instant now);

    /**
     * Makes the held deliveries of the account's receiving endpoints (active or failing) due again, each since it
     * was created (account enabled); a paused endpoint's stay held. Returns how many.
     */
    int releaseAccount(AccountId account, Instant now);

    /**
     * Makes one delivery due now again whatever its state (manual retry); false when it does not exist.
     * Its attempt count is kept, so a manual retry that fails again ends as failed. The next attempt recorded for it
     * is {@link Attempt#manual() manual}.
     */
    boolean retryNow(long deliveryKey, Instant now);

    /** Marks the next attempt recorded for the delivery as manual (a test send); false when it does not exist. */
    boolean markManual(long deliveryKey);

    /**
     * Makes every failed delivery of the endpoint created at or after {@code since} (and before {@code until}, when
     * given) due now; returns how many.
     */
    int requeueFailed(EndpointId endpoint, Instant since, Optional<Instant> until, Instant now);

    /** Gives up this owner's leases so other nodes can claim the work at once (graceful shutdown). */
    int releaseLeases(String owner, Instant now);

    QueueDepth depth(Instant now);

    /**
     * Releases held deliveries that nothing holds any more: their endpoint receives (active or failing, account
     * active) and its circuit is closed. A publish that read an endpoint as paused or its circuit as open just before
     * it was resumed or closed stores such deliveries after the release; they are due since they were created.
     * Returns how many.
     */
    int releaseStrayHeld(Instant now);

    /** The endpoint's held pending deliveries (paused, or waiting behind an open circuit). */
    long held(EndpointId endpoint);

    /** Pending deliveries held behind circuits that are not closed, across all endpoints, for metrics. */
    long heldByCircuits();

    /**
     * Retention, one bounded batch in one short transaction: deletes up to {@code limit} attempts of deliveries
     * that finished (delivered, failed, cancelled) before {@code cutoff}, then replaces with {@code {}} up to
     * {@code limit} payloads of events that occurred before the cutoff and whose deliveries all finished before
     * it. Event and delivery rows stay, so ids and lists still resolve; endpoint counters are never touched.
     * Returns how many rows changed: call again until it returns 0.
     */
    int purgeFinishedBefore(Instant cutoff, int limit);
}

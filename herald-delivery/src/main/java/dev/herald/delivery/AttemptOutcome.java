package dev.herald.delivery;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.Ordering;
import dev.herald.delivery.send.SendResult;
import dev.herald.store.AttemptRecord;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One finished attempt and what it means for its delivery: delivered, retried at the scheduled (or
 * receiver-requested) time, or failed when the schedule (the endpoint's own, else the configured one) is exhausted
 * or the receiver answered 410 Gone.
 */
record AttemptOutcome(Delivery delivery, Endpoint endpoint, SendResult result, AttemptRecord record) {

    /** Whether any of {@code outcomes} is a FIFO endpoint's: its next delivery waits for this one to be recorded. */
    static boolean anyFifo(List<AttemptOutcome> outcomes) {
        for (var outcome : outcomes) {
            if (outcome.endpoint().ordering() == Ordering.FIFO) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code clock} is read once the result is in, and only when a retry is scheduled from that moment: a delivered
     * attempt (nearly all of them) needs no second reading of the clock.
     */
    static AttemptOutcome judge(Delivery delivery, Endpoint endpoint, SendResult result, Instant attemptedAt,
                                Clock clock, RetrySchedule configured, RandomGenerator random) {
        // an endpoint's own schedule decides its retries, its probes and so its disable point
        RetrySchedule schedule = endpoint.retrySchedule(configured);
        int number = delivery.attempts() + 1;
        DeliveryState state;
        Optional<Instant> next;
        if (result.succeeded()) {
            state = DeliveryState.DELIVERED;
            next = Optional.empty();
        } else if (result.gone()) {
            state = DeliveryState.FAILED;
            next = Optional.empty();
        } else {
            Instant finishedAt = clock.instant();
            next = result.retryAfter().isPresent()
                    ? schedule.retryAfter(number, finishedAt, result.retryAfter().get())
                    : schedule.nextAttemptAt(number, finishedAt, random);
            state = next.isPresent() ? DeliveryState.PENDING : DeliveryState.FAILED;
        }
        var record = new AttemptRecord(delivery.key(), delivery.endpointId(), number, attemptedAt,
                result.durationMillis(), result.status(), result.body(), result.errorClass(), result.errorMessage(),
                state, next);
        return new AttemptOutcome(delivery, endpoint, result, record);
    }

    /** When this delivery first failed: its recorded time, or this attempt if it is the first failure. */
    Optional<Instant> firstFailedAt() {
        if (delivery.firstFailedAt().isPresent()) {
            return delivery.firstFailedAt();
        }
        return result.succeeded() ? Optional.empty() : Optional.of(record.attemptedAt());
    }

    /** The delivery failed its last scheduled attempt (not a 410, which disables on its own). */
    boolean exhausted() {
        return record.newState() == DeliveryState.FAILED && !result.gone();
    }
}

package dev.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.event.EventType;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.store.CircuitStep;
import dev.herald.store.EndpointStanding;
import dev.herald.store.Endpoints;
import dev.herald.store.StatusChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Applies the endpoint status rules after attempts are recorded: {@code failing} after the configured number of
 * consecutive failures, back to {@code active} on a success, {@code disabled} on 410 Gone or when a delivery
 * exhausts its schedule with no success since it first failed. Automatic changes are compare-and-set from the
 * statuses they may replace, so a user's pause or disable is never overridden.
 *
 * <p>With the circuit breaker on, turning {@code failing} opens the endpoint's circuit: the oldest delivery that just
 * failed probes on its own schedule and the others are held; a success half-opens it and releases held deliveries
 * at a ramp, any failure meanwhile opens it again, and a finished ramp closes it and makes the endpoint
 * {@code active}. Each step is compare-and-set on the circuit stored with the endpoint, so with several nodes one
 * takes it; {@code endpoint.circuit_opened} and {@code endpoint.circuit_closed} announce them.
 */
final class EndpointHealth {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoints endpoints;
    private final EndpointCache cache;
    private final Consumer<EndpointId> stopsReceiving;
    private final OperationalEvents events;
    private final Clock clock;
    private final HealthSettings settings;
    private final int rampWidth;
    private final Runnable released;
    /**
     * Per endpoint in a failure streak, the oldest delivery seen failing and still to be retried: the probe when its
     * circuit opens, though the streak's failures may have been recorded in several batches. Only the attempt
     * writer's thread uses it; an endpoint leaves it on a success or when its circuit opens.
     */
    private final Map<EndpointId, Long> oldestFailed = new HashMap<>();

    /**
     * {@code stopsReceiving} hears of each endpoint disabled, or whose circuit opened, here (the dispatcher drops its
     * waiting work);
     * {@code released} runs when a circuit step made held deliveries due, or after an attempt of a FIFO endpoint's head
     * (pollers look for the work at once); a ramp grows up to {@code rampWidth} deliveries in flight, the endpoint's
     * concurrency.
     */
    EndpointHealth(Endpoints endpoints, EndpointCache cache, Consumer<EndpointId> stopsReceiving,
                   OperationalEvents events, Clock clock, HealthSettings settings, int rampWidth, Runnable released) {
        this.endpoints = endpoints;
        this.cache = cache;
        this.stopsReceiving = stopsReceiving;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.rampWidth = rampWidth;
        this.released = released;
    }

    /**
     * {@code standings} are the endpoints as the batch's transaction left them: the rules read the stored status and
     * circuit from there, not from the copy the attempts were sent with, which another node may have outdated.
     */
    void apply(List<AttemptOutcome> batch, Map<EndpointId, EndpointStanding> standings) {
        var byEndpoint = new LinkedHashMap<EndpointId, List<AttemptOutcome>>();
        for (var outcome : batch) {
            byEndpoint.computeIfAbsent(outcome.record().endpointId(), k -> new ArrayList<>()).add(outcome);
        }
        // One reading of the clock for the batch, not one per endpoint in it (fan-out 10: ten per batch).
        Instant now = clock.instant();
        byEndpoint.forEach((id, outcomes) -> {
            EndpointStanding standing = standings.get(id);
            if (standing != null) {
                applyTo(outcomes, standing, now);
            } else if (allDelivered(outcomes)) {
                // Left out by the store (active, its circuit closed, every attempt delivered) or gone: any streak of
                // failures is over.
                oldestFailed.remove(id);
            }
        });
        // After the status rules, so the next attempt reads what they changed (a circuit just opened, say).
        if (AttemptOutcome.anyFifo(batch)) {
            // a FIFO endpoint's head finished (its successor is the head now) or is due again: claimed at once
            released.run();
        }
    }

    private static boolean allDelivered(List<AttemptOutcome> outcomes) {
        for (var outcome : outcomes) {
            if (!outcome.result().succeeded()) {
                return false;
            }
        }
        return true;
    }

    private void applyTo(List<AttemptOutcome> outcomes, EndpointStanding standing, Instant now) {
        Endpoint endpoint = outcomes.getLast().endpoint();
        EndpointStats stats = standing.stats();
        Optional<String> disableReason = disableReason(outcomes, stats);
        boolean streak = stats.consecutiveFailures() >= settings.failingThreshold();
        if (disableReason.isPresent()) {
            oldestFailed.remove(endpoint.id());
            disable(endpoint, disableReason.get(), now);
        } else if (!settings.breaker()) {
            if (stats.consecutiveFailures() == 0 && standing.status() != EndpointStatus.ACTIVE) {
                change(endpoint, EndpointStatus.FAILING, EndpointStatus.ACTIVE, now);
            } else if (streak && standing.status() != EndpointStatus.FAILING) {
                change(endpoint, EndpointStatus.ACTIVE, EndpointStatus.FAILING, now);
            }
        } else {
            applyBreaker(endpoint, outcomes, standing, streak, now);
        }
    }

    /**
     * The circuit's steps after a batch: a failure of a failing endpoint opens its circuit (the store refuses while
     * the streak is short and the circuit closed, or when it is open already), a probe that failed for good is
     * replaced, and a success moves the circuit on (half-open, the next ramp step, closed).
     */
    private void applyBreaker(Endpoint endpoint, List<AttemptOutcome> outcomes, EndpointStanding standing,
                              boolean streak, Instant now) {
        EndpointStats stats = standing.stats();
        if (streak && standing.status() != EndpointStatus.FAILING) {
            change(endpoint, EndpointStatus.ACTIVE, EndpointStatus.FAILING, now);
        }
        boolean failed = false;
        boolean succeeded = false;
        for (var outcome : outcomes) {
            if (outcome.result().succeeded()) {
                succeeded = true;
            } else {
                failed = true;
            }
        }
        long probe = failed ? probe(endpoint.id(), outcomes) : 0;
        if (stats.consecutiveFailures() == 0) {
            oldestFailed.remove(endpoint.id());
        }
        if (failed && (streak || standing.status() == EndpointStatus.FAILING)) {
            Optional<CircuitStep> opened = endpoints.openCircuit(endpoint.id(), probe, streak, now);
            if (opened.isPresent()) {
                oldestFailed.remove(endpoint.id());
                circuitOpened(endpoint, opened.get(), stats);
                return;
            }
            if (outcomes.stream().anyMatch(AttemptOutcome::exhausted)) {
                endpoints.reprobeCircuit(endpoint.id(), now)
                        .ifPresent(step -> stepped(endpoint, step, Circuit.OPEN)); // it re-probes open circuits only
            }
        }
        // The stored circuit, not the copy the attempt was sent with: another node may have opened it since that copy
        // was read, and a success that left it open would leave every held delivery waiting for nothing. An open
        // circuit moves on after any success, even one followed in this batch by a failure (of a delivery that was in
        // flight when it opened): the streak goes on, but its probe, or another delivery, got through, and an open
        // circuit whose probe was delivered has nothing left to move it (the failure cannot reopen what is open).
        if ((stats.consecutiveFailures() == 0 && (standing.status() != EndpointStatus.ACTIVE
                || standing.circuit() != Circuit.CLOSED))
                || (succeeded && standing.circuit() == Circuit.OPEN)) {
            Circuit before = standing.circuit();
            endpoints.advanceCircuit(endpoint.id(), rampWidth, now).ifPresent(step -> stepped(endpoint, step, before));
        }
    }

    /**
     * The oldest delivery of the streak that failed and is still to be retried (this batch's or an earlier one's),
     * else the oldest of this batch that failed.
     */
    private long probe(EndpointId endpoint, List<AttemptOutcome> outcomes) {
        var failures = outcomes.stream().filter(o -> !o.result().succeeded()).toList();
        var retried = failures.stream().filter(o -> o.record().newState() == DeliveryState.PENDING)
                .mapToLong(o -> o.record().deliveryKey()).min();
        if (retried.isPresent()) {
            oldestFailed.merge(endpoint, retried.getAsLong(), Math::min);
        }
        Long oldest = oldestFailed.get(endpoint);
        if (oldest != null) {
            return oldest;
        }
        return failures.stream().mapToLong(o -> o.record().deliveryKey()).min().orElseThrow();
    }

    private void circuitOpened(Endpoint endpoint, CircuitStep step, EndpointStats stats) {
        cache.invalidate(endpoint.id());
        stopsReceiving.accept(endpoint.id()); // work claimed here and not started is held in the store now
        LOG.warn("EndpointHealth: opened the circuit of endpoint {} after {} consecutive failures ({}); {} pending "
                        + "deliveries held, the oldest probes", endpoint.publicId(), stats.consecutiveFailures(),
                stats.lastError().orElse("failed"), step.deliveriesAffected());
        var data = JSON.createObjectNode();
        data.put("endpoint_id", endpoint.publicId().value());
        data.put("url", endpoint.url());
        data.put("consecutive_failures", stats.consecutiveFailures());
        stats.lastError().ifPresent(e -> data.put("last_error", e));
        raise(endpoint, EventCatalog.ENDPOINT_CIRCUIT_OPENED, data);
    }

    /** {@code before} is the circuit as stored before the step. */
    private void stepped(Endpoint endpoint, CircuitStep step, Circuit before) {
        cache.invalidate(endpoint.id());
        if (step.deliveriesAffected() > 0) {
            released.run();
        }
        switch (step.circuit()) {
            case HALF_OPEN -> LOG.info("EndpointHealth: circuit of endpoint {} half-open, {} held deliveries "
                    + "released", endpoint.publicId(), step.deliveriesAffected());
            case OPEN -> LOG.info("EndpointHealth: the probe of endpoint {} failed for good; the oldest held "
                    + "delivery probes next", endpoint.publicId());
            case CLOSED -> {
                if (before == Circuit.CLOSED) {
                    LOG.info("EndpointHealth: endpoint {} is now active", endpoint.publicId());
                    return; // it had no circuit open: failing → active, as without the breaker
                }
                LOG.info("EndpointHealth: closed the circuit of endpoint {}; {} held deliveries released",
                        endpoint.publicId(), step.deliveriesAffected());
                var data = JSON.createObjectNode();
                data.put("endpoint_id", endpoint.publicId().value());
                data.put("url", endpoint.url());
                data.put("released", step.deliveriesAffected());
                raise(endpoint, EventCatalog.ENDPOINT_CIRCUIT_CLOSED, data);
            }
        }
    }

    private void raise(Endpoint endpoint, EventType type, ObjectNode data) {
        events.raise(new PublishRequest(endpoint.accountId(), Optional.of(endpoint.createdBy()), type.name(), data,
                Optional.empty(), Optional.empty()));
    }

    private static Optional<String> disableReason(List<AttemptOutcome> outcomes, EndpointStats stats) {
        for (var outcome : outcomes) {
            if (outcome.result().gone()) {
                return Optional.of("the endpoint answered 410 Gone");
            }
        }
        for (var outcome : outcomes) {
            if (!outcome.exhausted()) {
                continue;
            }
            Instant firstFailed = outcome.firstFailedAt().orElse(outcome.record().attemptedAt());
            boolean noSuccessSince = stats.lastSuccessAt().map(t -> t.isBefore(firstFailed)).orElse(true);
            if (noSuccessSince) {
                return Optional.of("delivery " + outcome.delivery().id() + " failed all "
                        + outcome.record().number() + " attempts ("
                        + outcome.result().errorMessage().orElse("failed") + ") with no success since "
                        + firstFailed);
            }
        }
        return Optional.empty();
    }

    private void change(Endpoint endpoint, EndpointStatus from, EndpointStatus to, Instant now) {
        if (endpoints.changeStatus(endpoint.id(), EnumSet.of(from), to, now).isPresent()) {
            cache.invalidate(endpoint.id());
            LOG.info("EndpointHealth: endpoint {} is now {}", endpoint.publicId(), to.wireName());
        }
    }

    private void disable(Endpoint endpoint, String reason, Instant now) {
        Optional<StatusChange> change = endpoints.changeStatus(endpoint.id(),
                EnumSet.of(EndpointStatus.ACTIVE, EndpointStatus.FAILING), EndpointStatus.DISABLED, now);
        if (change.isEmpty()) {
            return; // a user paused or disabled it meanwhile, or deleted it: theirs stands
        }
        int cancelled = change.get().deliveriesAffected();
        cache.invalidate(endpoint.id());
        stopsReceiving.accept(endpoint.id());
        LOG.warn("EndpointHealth: disabled endpoint {} of account {}: {}; {} pending deliveries cancelled",
                endpoint.publicId(), endpoint.accountId(), reason, cancelled);
        var data = JSON.createObjectNode();
        data.put("endpoint_id", endpoint.publicId().value());
        data.put("url", endpoint.url());
        data.put("reason", reason);
        raise(endpoint, EventCatalog.ENDPOINT_DISABLED, data);
    }
}

package dev.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointStats;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.delivery.publish.PublishRequest;
import dev.herald.store.Endpoints;
import dev.herald.store.StatusChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
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
 */
final class EndpointHealth {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Endpoints endpoints;
    private final EndpointCache cache;
    private final Consumer<EndpointId> stopsReceiving;
    private final OperationalEvents events;
    private final Clock clock;
    private final int failingThreshold;

    /** {@code stopsReceiving} hears of each endpoint disabled here (the dispatcher drops its waiting work). */
    EndpointHealth(Endpoints endpoints, EndpointCache cache, Consumer<EndpointId> stopsReceiving,
                   OperationalEvents events, Clock clock, int failingThreshold) {
        this.endpoints = endpoints;
        this.cache = cache;
        this.stopsReceiving = stopsReceiving;
        this.events = events;
        this.clock = clock;
        this.failingThreshold = failingThreshold;
    }

    void apply(List<AttemptOutcome> batch, Map<EndpointId, EndpointStats> stats) {
        var byEndpoint = new LinkedHashMap<EndpointId, List<AttemptOutcome>>();
        for (var outcome : batch) {
            byEndpoint.computeIfAbsent(outcome.record().endpointId(), k -> new ArrayList<>()).add(outcome);
        }
        byEndpoint.forEach((id, outcomes) -> {
            EndpointStats s = stats.get(id);
            if (s != null) {
                applyTo(outcomes, s);
            }
        });
    }

    private void applyTo(List<AttemptOutcome> outcomes, EndpointStats stats) {
        Endpoint endpoint = outcomes.getLast().endpoint();
        Optional<String> disableReason = disableReason(outcomes, stats);
        Instant now = clock.instant();
        if (disableReason.isPresent()) {
            disable(endpoint, disableReason.get(), now);
        } else if (stats.consecutiveFailures() == 0 && endpoint.status() != EndpointStatus.ACTIVE) {
            change(endpoint, EndpointStatus.FAILING, EndpointStatus.ACTIVE, now);
        } else if (stats.consecutiveFailures() >= failingThreshold && endpoint.status() != EndpointStatus.FAILING) {
            change(endpoint, EndpointStatus.ACTIVE, EndpointStatus.FAILING, now);
        }
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
        events.raise(new PublishRequest(endpoint.accountId(), Optional.of(endpoint.createdBy()),
                EventCatalog.ENDPOINT_DISABLED.name(), data, Optional.empty(), Optional.empty()));
    }
}

package dev.herald.service.delivery;

import dev.herald.core.account.Caller;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.service.delivery.DeliveryService.EndpointDeliveries;
import dev.herald.service.endpoint.EndpointRef;
import dev.herald.service.endpoint.EndpointService;
import dev.herald.store.DeliveryHistory.Filter;
import dev.herald.store.DeliveryHistory.HourCount;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What happened at one of the caller's endpoints, for a person looking at it: its deliveries filtered by state,
 * event type and time, and its attempts of the last 24 hours, hour by hour.
 */
public final class DeliveryHistoryService {
    public static final int ACTIVITY_HOURS = 24;

    private final EndpointService endpoints;
    private final Store store;
    private final Clock clock;

    public DeliveryHistoryService(EndpointService endpoints, Store store, Clock clock) {
        this.endpoints = endpoints;
        this.store = store;
        this.clock = clock;
    }

    /**
     * The attempts of the last 24 whole hours plus the current one: {@code hours} has one entry per hour, oldest
     * first, the last being the hour now running.
     */
    public record Activity(Endpoint endpoint, Instant from, List<HourCount> hours) {
        public Activity {
            hours = List.copyOf(hours);
        }

        public long successes() {
            return hours.stream().mapToLong(HourCount::successes).sum();
        }

        public long failures() {
            return hours.stream().mapToLong(HourCount::failures).sum();
        }

        public long attempts() {
            return successes() + failures();
        }

        /** Successes per attempt, between 0 and 1; empty without attempts. */
        public OptionalDouble successRate() {
            return attempts() == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) successes() / attempts());
        }
    }

    public EndpointDeliveries list(Caller caller, EndpointRef ref, Filter filter, PageRequest page) {
        Endpoint endpoint = endpoints.get(caller, ref);
        try {
            return new EndpointDeliveries(endpoint, store.deliveryHistory().list(endpoint.id(), filter, page));
        } catch (InvalidCursorException e) {
            throw EndpointService.invalidCursor();
        }
    }

    public Activity activity(Caller caller, EndpointRef ref) {
        return activity(endpoints.get(caller, ref));
    }

    /** As above, for an endpoint the caller has already read. */
    public Activity activity(Endpoint endpoint) {
        // whole hours, so the buckets are clock hours and stay put from one look to the next
        Instant from = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(ACTIVITY_HOURS));
        int hours = ACTIVITY_HOURS + 1;
        var counted = store.deliveryHistory().attemptsPerHour(endpoint.id(), from, hours);
        var filled = new ArrayList<HourCount>(hours);
        for (int h = 0; h < hours; h++) {
            filled.add(new HourCount(h, 0, 0));
        }
        counted.forEach(count -> filled.set(count.hour(), count));
        return new Activity(endpoint, from, filled);
    }
}

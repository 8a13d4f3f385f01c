package dev.herald.store;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.EndpointId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What happened at one endpoint, for people looking at it: its deliveries filtered, and its attempts per hour. */
public interface DeliveryHistory {
    /** Which deliveries a listing shows: in one state, of one event type, created at or after {@code since}. */
    record Filter(Optional<DeliveryState> state, Optional<String> eventType, Optional<Instant> since) {
        public static final Filter ALL = new Filter(Optional.empty(), Optional.empty(), Optional.empty());

        public Filter {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(since, "since");
        }
    }

    /** The attempts of one hour: {@code hour} counts from the {@code from} of the query, starting at 0. */
    record HourCount(int hour, long successes, long failures) {
    }

    /** The endpoint's deliveries that match, newest first. */
    Page<Delivery> list(EndpointId endpoint, Filter filter, PageRequest page);

    /** Attempts at the endpoint from {@code from} for {@code hours} hours, per hour; hours without any are left out. */
    List<HourCount> attemptsPerHour(EndpointId endpoint, Instant from, int hours);
}

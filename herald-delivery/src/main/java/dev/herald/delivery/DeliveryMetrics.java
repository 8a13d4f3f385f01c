package dev.herald.delivery;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.destination.DestinationType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The engine's meters: events published, deliveries by outcome, attempts by class, attempt latency, in-flight;
 * attempts and deliveries also by destination type ({@code webhook}, {@code rabbitmq}, {@code nats},
 * {@code redis_stream}) as {@code herald.destination.attempts} and {@code herald.destination.deliveries}.
 */
final class DeliveryMetrics {
    private static final ErrorClass[] ERROR_CLASSES = ErrorClass.values();
    private static final DeliveryState[] STATES = DeliveryState.values();
    private static final int DESTINATIONS = DestinationType.values().length;
    /** Result classes: each error class by its ordinal, then success. */
    private static final int SUCCESS = ERROR_CLASSES.length;
    private static final int CLASSES = ERROR_CLASSES.length + 1;

    private final MeterRegistry registry;
    private final Counter published;
    private final AtomicReferenceArray<Counter> attempts = new AtomicReferenceArray<>(CLASSES);
    private final AtomicReferenceArray<Counter> destinationAttempts = new AtomicReferenceArray<>(DESTINATIONS * CLASSES);
    private final AtomicReferenceArray<Counter> deliveries = new AtomicReferenceArray<>(STATES.length);
    private final AtomicReferenceArray<Counter> destinationDeliveries =
            new AtomicReferenceArray<>(DESTINATIONS * STATES.length);
    private final Timer latency;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.published = Counter.builder("herald.events.published").description("Events accepted").register(registry);
        // A histogram (le buckets from 1 ms to 30 s) so latency can be aggregated across nodes in Prometheus.
        this.latency = Timer.builder("herald.attempt.latency").description("Duration of delivery attempts")
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofSeconds(30))
                .register(registry);
    }

    void gauges(Supplier<Number> inFlight, Supplier<Number> waiting) {
        // Strong references: Micrometer holds a gauge's object weakly, and these suppliers are lambdas nothing else
        // keeps, so the first full GC would turn the gauges into NaN.
        Gauge.builder("herald.deliveries.in_flight", inFlight, s -> s.get().doubleValue())
                .description("Attempts being sent right now").strongReference(true).register(registry);
        Gauge.builder("herald.deliveries.waiting", waiting, s -> s.get().doubleValue())
                .description("Claimed deliveries waiting in this node's per-endpoint queues").strongReference(true)
                .register(registry);
    }

    void published() {
        published.increment();
    }

    void attempted(AttemptOutcome outcome) {
        var failure = outcome.result().errorClass();
        int errorClass = failure.isPresent() ? failure.get().ordinal() : SUCCESS;
        DestinationType destination = outcome.endpoint().type();
        Counter byClass = attempts.get(errorClass);
        if (byClass == null) {
            byClass = remember(attempts, errorClass, Counter.builder("herald.attempts")
                    .description("Delivery attempts by result class (success or the error class)")
                    .tag("class", className(errorClass)).register(registry));
        }
        byClass.increment();
        // By destination type in a family of its own: a new label on herald.attempts would split existing series.
        int both = destination.ordinal() * CLASSES + errorClass;
        Counter byDestination = destinationAttempts.get(both);
        if (byDestination == null) {
            byDestination = remember(destinationAttempts, both, Counter.builder("herald.destination.attempts")
                    .description("Delivery attempts by destination type and result class")
                    .tag("destination", destination.wireName()).tag("class", className(errorClass))
                    .register(registry));
        }
        byDestination.increment();
        latency.record(outcome.result().durationMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps a counter registered on first use at its index. Counting is per attempt: building and registering the
     * counter each time (its builder, tags and id) was most of what metrics allocated. Registering again returns
     * the same counter, so two threads racing here is harmless.
     */
    private static Counter remember(AtomicReferenceArray<Counter> counters, int index, Counter counter) {
        counters.set(index, counter);
        return counter;
    }

    private static String className(int index) {
        return index == SUCCESS ? "success" : ERROR_CLASSES[index].wireName();
    }

    /** A delivery's state after an attempt as counted and traced: {@code retry_scheduled} while it is pending. */
    static String outcomeName(DeliveryState state) {
        return state == DeliveryState.PENDING ? "retry_scheduled" : state.wireName();
    }

    void recorded(AttemptOutcome outcome) {
        DeliveryState state = outcome.record().newState();
        DestinationType destination = outcome.endpoint().type();
        Counter byOutcome = deliveries.get(state.ordinal());
        if (byOutcome == null) {
            byOutcome = remember(deliveries, state.ordinal(), Counter.builder("herald.deliveries")
                    .description("Recorded attempt outcomes of deliveries: delivered, failed, retry_scheduled, "
                            + "cancelled")
                    .tag("outcome", outcomeName(state)).register(registry));
        }
        byOutcome.increment();
        int both = destination.ordinal() * STATES.length + state.ordinal();
        Counter byDestination = destinationDeliveries.get(both);
        if (byDestination == null) {
            byDestination = remember(destinationDeliveries, both, Counter.builder("herald.destination.deliveries")
                    .description("Recorded attempt outcomes by destination type")
                    .tag("destination", destination.wireName()).tag("outcome", outcomeName(state))
                    .register(registry));
        }
        byDestination.increment();
    }
}

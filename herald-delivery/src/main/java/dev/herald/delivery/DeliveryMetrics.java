package dev.herald.delivery;

import dev.herald.core.delivery.DeliveryState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The engine's meters: events published, deliveries by outcome, attempts by class, attempt latency, in-flight;
 * attempts and deliveries also by destination type ({@code webhook}, {@code rabbitmq}, {@code nats},
 * {@code redis_stream}) as {@code herald.destination.attempts} and {@code herald.destination.deliveries}.
 */
final class DeliveryMetrics {
    private final MeterRegistry registry;
    private final Counter published;
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
        String errorClass = outcome.result().errorClass().map(c -> c.wireName()).orElse("success");
        Counter.builder("herald.attempts").description("Delivery attempts by result class (success or the error class)")
                .tag("class", errorClass).register(registry).increment();
        // By destination type in a family of its own: a new label on herald.attempts would split existing series.
        Counter.builder("herald.destination.attempts").description("Delivery attempts by destination type and result class")
                .tag("destination", outcome.endpoint().type().wireName()).tag("class", errorClass).register(registry)
                .increment();
        latency.record(outcome.result().durationMillis(), TimeUnit.MILLISECONDS);
    }

    /** A delivery's state after an attempt as counted and traced: {@code retry_scheduled} while it is pending. */
    static String outcomeName(DeliveryState state) {
        return state == DeliveryState.PENDING ? "retry_scheduled" : state.wireName();
    }

    void recorded(AttemptOutcome outcome) {
        String name = outcomeName(outcome.record().newState());
        Counter.builder("herald.deliveries").description("Recorded attempt outcomes of deliveries: delivered, failed,"
                        + " retry_scheduled, cancelled").tag("outcome", name).register(registry).increment();
        Counter.builder("herald.destination.deliveries").description("Recorded attempt outcomes by destination type")
                .tag("destination", outcome.endpoint().type().wireName()).tag("outcome", name).register(registry)
                .increment();
    }
}

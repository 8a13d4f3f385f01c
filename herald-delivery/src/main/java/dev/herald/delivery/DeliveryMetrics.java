package dev.herald.delivery;

import dev.herald.core.delivery.DeliveryState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
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
        registry.gauge("herald.deliveries.in_flight", List.of(), inFlight, s -> s.get().doubleValue());
        registry.gauge("herald.deliveries.waiting", List.of(), waiting, s -> s.get().doubleValue());
    }

    void published() {
        published.increment();
    }

    void attempted(AttemptOutcome outcome) {
        String errorClass = outcome.result().errorClass().map(c -> c.wireName()).orElse("success");
        registry.counter("herald.attempts", "class", errorClass).increment();
        // By destination type in a family of its own: a new label on herald.attempts would split existing series.
        registry.counter("herald.destination.attempts", "destination", outcome.endpoint().type().wireName(),
                "class", errorClass).increment();
        latency.record(outcome.result().durationMillis(), TimeUnit.MILLISECONDS);
    }

    void recorded(AttemptOutcome outcome) {
        DeliveryState state = outcome.record().newState();
        String name = state == DeliveryState.PENDING ? "retry_scheduled" : state.wireName();
        registry.counter("herald.deliveries", "outcome", name).increment();
        registry.counter("herald.destination.deliveries", "destination", outcome.endpoint().type().wireName(),
                "outcome", name).increment();
    }
}

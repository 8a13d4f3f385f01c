package dev.herald.delivery;

import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the events Herald raises about an account's own endpoints ({@code endpoint.disabled}) off the
 * thread that noticed them: publishing waits for a commit, and the attempt writer must not wait on the
 * publisher's queue behind the very publishes it is slowing down.
 */
final class OperationalEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationalEvents.class);

    private final EventPublisher publisher;
    private final DeliveryObserver observer;
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("herald-operational-events").factory());

    OperationalEvents(EventPublisher publisher, DeliveryObserver observer) {
        this.publisher = publisher;
        this.observer = observer;
    }

    /** Queues the event; a failure is logged, as the endpoint change it reports has already happened. */
    void raise(PublishRequest event) {
        queue(() -> {
            publish(event);
            observer.raised(event).forEach(this::publish);
        }, event.type(), event.account().toString());
    }

    /** Queues what the observer makes of a batch of recorded attempts. */
    void attempted(List<AttemptOutcome> batch) {
        // the writer reuses its batch list once this returns
        List<AttemptOutcome> written = List.copyOf(batch);
        queue(() -> written.forEach(o -> observer.attempted(o.delivery(), o.endpoint(), o.record())
                .forEach(this::publish)), "attempt events", Integer.toString(written.size()));
    }

    private void queue(Runnable work, String what, String about) {
        try {
            executor.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.error("OperationalEvents: could not publish {} ({}). Will keep running.", what, about, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("OperationalEvents: {} ({}) not published, Herald is stopping", what, about);
        }
    }

    private void publish(PublishRequest event) {
        try {
            publisher.publish(event);
        } catch (RuntimeException e) {
            LOG.error("OperationalEvents: could not publish {} for account {}. Will keep running.",
                    event.type(), event.account(), e);
        }
    }

    /** Publishes what is queued, waiting at most {@code seconds}. */
    void close(long seconds) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(seconds, TimeUnit.SECONDS)) {
            LOG.warn("OperationalEvents: operational events still queued after {} s were not published", seconds);
            executor.shutdownNow();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

package dev.herald.delivery;

import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("herald-operational-events").factory());

    OperationalEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Queues the event; a failure is logged, as the endpoint change it reports has already happened. */
    void raise(PublishRequest event) {
        try {
            executor.execute(() -> {
                try {
                    publisher.publish(event);
                } catch (RuntimeException e) {
                    LOG.error("OperationalEvents: could not publish {} for account {}. Will keep running.",
                            event.type(), event.account(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("OperationalEvents: {} for account {} not published, Herald is stopping", event.type(),
                    event.account());
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

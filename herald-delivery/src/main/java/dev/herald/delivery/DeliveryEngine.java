package dev.herald.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.delivery.destination.Destinations;
import dev.herald.delivery.publish.EventPublisher;
import dev.herald.delivery.publish.PublishQueue;
import dev.herald.delivery.publish.PublishSettings;
import dev.herald.delivery.publish.WirePayload;
import dev.herald.delivery.send.WebhookSender;
import dev.herald.delivery.trace.DeliveryTracing;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.PublishedEvent;
import dev.herald.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Herald's delivery engine: publishes events with their fan-out, sends deliveries signed over SSRF-safe HTTP or
 * to brokers, records attempts, schedules retries and keeps endpoint statuses. One per process; the owner of its
 * threads, HTTP client and broker connections.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final DeliverySettings settings;
    private final Clock clock;
    private final EndpointCache cache;
    private final Destinations sender;
    private final ReusedVirtualThreads workers;
    private final ScheduledExecutorService timers;
    private final Dispatcher dispatcher;
    private final AttemptWriter writer;
    private final AttemptRunner runner;
    private final PublishQueue publisher;
    private final OperationalEvents operationalEvents;
    private final DuePoller poller;
    private volatile boolean running;
    private volatile boolean closed;

    private DeliveryEngine(Store store, DeliverySettings settings, EventCatalog catalog, Clock clock,
                           MeterRegistry registry, DeliveryTracing tracing, DeliveryObserver observer) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        var metrics = new DeliveryMetrics(registry);
        this.cache = new EndpointCache(store.endpoints(), clock, settings.endpointCacheTtl());
        this.sender = Destinations.create(WebhookSender.create(settings.send(), clock), settings.send());
        // Attempts run on virtual threads: each blocks on its socket, and the endpoint lookup may read the database.
        // Each thread is kept for the next attempt (ReusedVirtualThreads says why): as many as requests may be in flight.
        // Measured and not taken (issue 25, before sends blocked): a platform ForkJoinPool for attempts whose endpoint
        // is cached and fresh; no gain shown on the shared machine.
        this.workers = new ReusedVirtualThreads("herald-attempt", settings.limits().maxInFlight());
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-dispatch-timers");
            t.setDaemon(true);
            return t;
        });
        // Built in the order each needs the others, so every collaborator is known from construction on.
        var results = new AttemptResults();
        this.runner = new AttemptRunner(cache, sender, results, settings, clock, workers, metrics, tracing);
        this.dispatcher = new Dispatcher(settings, timers, runner, results::waiting);
        this.publisher = new PublishQueue(store, cache::fanOutCandidates, catalog, dispatcher,
                new PublishSettings(settings.queues().nodeId(), settings.queues().leaseDuration(),
                        settings.queues().batchSize()), clock, metrics::published, tracing);
        this.operationalEvents = new OperationalEvents(publisher, observer);
        this.poller = new DuePoller(store.deliveries(), store.endpoints(), dispatcher, cache, settings, clock);
        var health = new EndpointHealth(store.endpoints(), cache, dispatcher::forget, operationalEvents, clock,
                settings.health(), settings.limits().maxConcurrencyPerEndpoint(), poller::wake);
        this.writer = new AttemptWriter(results, store.deliveries(), settings.queues().batchSize(), metrics, health,
                dispatcher::recorded, operationalEvents::attempted);
        metrics.gauges(dispatcher::inFlight, dispatcher::waiting);
    }

    public static DeliveryEngine create(Store store, DeliverySettings settings, EventCatalog catalog, Clock clock,
                                        MeterRegistry registry) {
        return create(store, settings, catalog, clock, registry, DeliveryTracing.off());
    }

    /** As above, with a span per publish and per attempt ({@link DeliveryTracing}). */
    public static DeliveryEngine create(Store store, DeliverySettings settings, EventCatalog catalog, Clock clock,
                                        MeterRegistry registry, DeliveryTracing tracing) {
        return create(store, settings, catalog, clock, registry, tracing, DeliveryObserver.NONE);
    }

    /** As above, with an observer whose events about attempts and endpoints the engine publishes. */
    public static DeliveryEngine create(Store store, DeliverySettings settings, EventCatalog catalog, Clock clock,
                                        MeterRegistry registry, DeliveryTracing tracing, DeliveryObserver observer) {
        return new DeliveryEngine(store, settings, catalog, clock, registry, tracing, observer);
    }

    public synchronized void start() {
        if (running || closed) {
            throw new IllegalStateException("the delivery engine can be started once");
        }
        writer.start();
        publisher.start();
        poller.start();
        running = true;
        LOG.info("DeliveryEngine: started as node {} on the {} store", settings.queues().nodeId(), store.kind());
    }

    public boolean isRunning() {
        return running;
    }

    public EventPublisher publisher() {
        return publisher;
    }

    /**
     * Sends a {@code webhook.test} event to {@code endpoint} only, now, and returns the recorded attempt. The
     * event and its delivery are stored like any other, so a failed test is retried on the usual schedule.
     */
    public Attempt sendTest(Endpoint endpoint) {
        requireRunning();
        Instant now = clock.instant();
        EventId id = EventId.generate();
        var data = JSON.createObjectNode();
        data.put("endpoint_id", endpoint.publicId().value());
        data.put("message", "This is a test event sent by Herald.");
        Instant timestamp = now.truncatedTo(ChronoUnit.SECONDS);
        var event = new Event(id, endpoint.accountId(), EventCatalog.WEBHOOK_TEST.name(), timestamp,
                WirePayload.of(id, EventCatalog.WEBHOOK_TEST.name(), timestamp, data), Optional.empty(),
                Optional.of(endpoint.createdBy()), EventFormat.CANONICAL, Optional.empty(), List.of());
        PublishedEvent published = publisher.storeForCaller(event, endpoint.id(), now);
        Delivery delivery = published.deliveries().getFirst();
        store.deliveries().markManual(delivery.key());
        var claimed = new ClaimedDelivery(delivery, published.event().body(), Optional.empty(), EventFormat.CANONICAL);
        var recorded = writer.whenRecorded(delivery.key());
        try {
            Optional<AttemptOutcome> outcome = runner.attempt(new DeliveryJob(claimed), true)
                    .get(settings.send().requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            if (outcome.isEmpty()) {
                throw HeraldException.of(ErrorCode.WEBHOOK_NOT_FOUND, "webhook not found");
            }
            recorded.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HeraldException.wrap(ErrorCode.INTERNAL, "interrupted while sending the test event", e);
        } catch (ExecutionException | TimeoutException e) {
            throw HeraldException.wrap(ErrorCode.INTERNAL, "the test event could not be sent", e);
        }
        List<Attempt> attempts = store.deliveries().attempts(delivery.key());
        return attempts.getLast();
    }

    /** Makes one delivery due now again (manual retry) and looks for due work at once. */
    public boolean retryNow(Delivery delivery) {
        boolean changed = store.deliveries().retryNow(delivery.key(), clock.instant());
        poller.wake();
        return changed;
    }

    /** Forgets what is cached about an endpoint; the API calls it after creating or changing one. */
    public void endpointChanged(EndpointId endpoint) {
        cache.invalidate(endpoint);
        var current = cache.get(endpoint);
        if (current.isEmpty() || !current.get().endpoint().status().delivers()) {
            dispatcher.forget(endpoint);
        } else {
            dispatcher.endpointUpdated(endpoint, current.get().endpoint().rateLimit());
        }
        // A resumed endpoint's released deliveries are due now.
        poller.wake();
    }

    /**
     * Stops gracefully: no more claiming, requests in flight may finish within the grace period, their results
     * are written, queued publishes are stored, and this node's remaining leases are released.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        try {
            poller.close();
            dispatcher.stopStarting();
            if (!dispatcher.awaitIdle(settings.queues().shutdownGrace())) {
                LOG.warn("DeliveryEngine: {} requests still in flight after the grace period; they are retried "
                        + "when their leases expire", dispatcher.inFlight());
            }
            writer.close(Duration.ofSeconds(10));
            operationalEvents.close(10);
            publisher.close(Duration.ofSeconds(10));
            int released = store.deliveries().releaseLeases(settings.queues().nodeId(), clock.instant());
            LOG.info("DeliveryEngine: stopped node {}, released {} leases", settings.queues().nodeId(), released);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("DeliveryEngine: interrupted while stopping; leases left expire on their own");
        } catch (RuntimeException e) {
            LOG.error("DeliveryEngine: error while stopping; leases left expire on their own", e);
        } finally {
            sender.close();
            timers.shutdownNow();
            workers.stopNow();
        }
    }

    /** Stops at once, writing and releasing nothing, as if the process died. For crash-recovery tests. */
    synchronized void abandon() {
        closed = true;
        running = false;
        try {
            poller.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatcher.stopStarting();
        operationalEvents.close();
        publisher.abandon();
        writer.abandon();
        sender.close();
        timers.shutdownNow();
        workers.stopNow();
    }

    private void requireRunning() {
        if (!running) {
            throw HeraldException.of(ErrorCode.STORE_UNAVAILABLE, "the delivery engine is not running");
        }
    }
}

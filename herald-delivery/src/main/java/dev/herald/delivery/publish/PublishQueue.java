package dev.herald.delivery.publish;

import dev.herald.core.account.AccountId;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.endpoint.Circuit;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.delivery.trace.DeliveryTracing;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
import dev.herald.store.PublishedEvent;
import dev.herald.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Publishes events with group commit: callers build their event and fan-out, queue it and block; one thread
 * drains the queue and stores many events in one transaction. A batch publish queues its events as one entry,
 * so they are stored in the same transaction. Deliveries to endpoints with room on this node
 * are leased to it and handed straight to the dispatcher after the commit (no poll wait); the rest are stored
 * unleased for the pollers.
 */
public final class PublishQueue implements EventPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(PublishQueue.class);

    /**
     * One event to store: the draft and the endpoints that hold a dispatcher reservation for it, in a list of its own
     * that handing off empties. A list, not a set: a fan-out's targets are distinct, and its deliveries come back in
     * their order, so each is taken from the list's front (a hash set per publish was a table and a node per
     * delivery at fan-out 1).
     */
    private record Item(EventDraft draft, List<EndpointId> reserved) {
    }

    /** One queued publish (one event, or a batch's events, stored together) and the caller's future. */
    private record Pending(List<Item> items, CompletableFuture<List<PublishedEvent>> done) {
    }

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Store store;
    private final BiFunction<AccountId, String, List<Endpoint>> fanOutCandidates;
    private final EventCatalog catalog;
    private final DeliveryLanes dispatcher;
    private final PublishSettings settings;
    private final Clock clock;
    private final Runnable published;
    private final DeliveryTracing tracing;
    private final Thread thread;
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    /**
     * {@code fanOutCandidates} gives an account's endpoints that may receive events of a type (cached; each is still
     * asked whether it subscribes); {@code published} runs once per event newly stored (a metric).
     */
    public PublishQueue(Store store, BiFunction<AccountId, String, List<Endpoint>> fanOutCandidates,
                        EventCatalog catalog,
                        DeliveryLanes dispatcher, PublishSettings settings, Clock clock, Runnable published,
                        DeliveryTracing tracing) {
        this.store = store;
        this.fanOutCandidates = fanOutCandidates;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.clock = clock;
        this.published = published;
        this.tracing = tracing;
        this.thread = Thread.ofPlatform().name("herald-publisher").daemon().unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    @Override
    public PublishReceipt publish(PublishRequest request) {
        var span = tracing.publish(request.account().value(), request.type(), request.traceparent());
        try {
            var receipt = publish(request, span.context());
            span.stored(receipt.event().id().value(), receipt.deliveries(), receipt.created());
            return receipt;
        } catch (RuntimeException | Error e) {
            span.failed(e);
            throw e;
        }
    }

    private PublishReceipt publish(PublishRequest request, Optional<String> traceContext) {
        requireAccepting();
        PublishedEvent published = enqueue(List.of(prepare(request, clock.instant(), traceContext))).getFirst();
        return receipt(published);
    }

    @Override
    public List<PublishOutcome> publishAll(List<PublishRequest> requests) {
        requireAccepting();
        Instant now = clock.instant();
        var spans = new ArrayList<DeliveryTracing.PublishSpan>(requests.size());
        var outcomes = new PublishOutcome[requests.size()];
        var items = new ArrayList<Item>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            PublishRequest request = requests.get(i);
            var span = tracing.publish(request.account().value(), request.type(), request.traceparent());
            try {
                items.add(prepare(request, now, span.context()));
                spans.add(span);
            } catch (HeraldException refused) {
                span.failed(refused);
                outcomes[i] = new PublishOutcome.Refused(refused);
            }
        }
        List<PublishedEvent> stored;
        try {
            stored = items.isEmpty() ? List.of() : enqueue(items);
        } catch (RuntimeException | Error e) {
            spans.forEach(span -> span.failed(e));
            throw e;
        }
        int next = 0;
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                PublishedEvent published = stored.get(next);
                spans.get(next).stored(published.event().id().value(), published.deliveries().size(),
                        published.created());
                outcomes[i] = new PublishOutcome.Accepted(receipt(published));
                next++;
            }
        }
        return List.of(outcomes);
    }

    private static PublishReceipt receipt(PublishedEvent published) {
        return new PublishReceipt(published.event(), published.deliveries().size(), published.created());
    }

    /** The event of {@code request} with its fan-out, reservations taken, ready to queue. */
    private Item prepare(PublishRequest request, Instant now, Optional<String> traceContext) {
        // A Svix message may carry any event type, as on Svix; the catalog only restricts what endpoints may filter on.
        if (request.format() == EventFormat.CANONICAL && !catalog.contains(request.account(), request.type())) {
            throw HeraldException.field(ErrorCode.INVALID_EVENTS, "type",
                    "unknown event type: " + request.type());
        }
        EventId id = request.id().orElseGet(EventId::generate);
        Instant timestamp = now.truncatedTo(ChronoUnit.SECONDS);
        EncodedPayload payload = request.rawPayload().map(EncodedPayload::of)
                .orElseGet(() -> WirePayload.of(id, request.type(), timestamp, request.data(), request.format()));
        var event = new Event(id, request.account(), request.type(), timestamp, payload, request.idempotencyKey(),
                request.publishingKey(), request.format(), request.uid(), request.channels());
        List<Endpoint> candidates = fanOutCandidates.apply(request.account(), request.type());
        var targets = new ArrayList<Endpoint>(candidates.size());
        // indexed, not iterated: an iterator per publish (and one per fan-out below) showed in what a publish allocated
        for (int i = 0; i < candidates.size(); i++) {
            Endpoint endpoint = candidates.get(i);
            if (endpoint.subscribesTo(request.type(), request.publishingKey(), request.channels())) {
                targets.add(endpoint);
            }
        }
        return fanOut(event, targets, now, traceContext);
    }

    /** Stores an event for exactly {@code targets}, fanned out as {@link #publish} does. */
    public PublishedEvent store(Event event, List<Endpoint> targets, Instant now) {
        requireAccepting();
        return enqueue(List.of(fanOut(event, targets, now, Optional.empty()))).getFirst();
    }

    private Item fanOut(Event event, List<Endpoint> targets, Instant now, Optional<String> traceContext) {
        var reserved = new ArrayList<EndpointId>(targets.size());
        var drafts = new ArrayList<DeliveryDraft>(targets.size());
        Lease lease = lease(now);
        // shared by every draft of the fan-out
        Optional<Instant> dueNow = Optional.of(now);
        Optional<Lease> leased = Optional.of(lease);
        for (int i = 0; i < targets.size(); i++) {
            Endpoint endpoint = targets.get(i);
            boolean fifo = endpoint.ordering() == Ordering.FIFO;
            if (!endpoint.status().delivers() || endpoint.circuit() != Circuit.CLOSED) {
                // Paused, or behind an open circuit: stored held, with no next attempt time, until released.
                drafts.add(new DeliveryDraft(DeliveryId.generate(), endpoint.id(), Optional.empty(), Optional.empty(),
                        fifo));
            } else if (fifo) {
                // In order, one at a time: numbered in the transaction, then claimed by a poller once it is the head.
                drafts.add(new DeliveryDraft(DeliveryId.generate(), endpoint.id(), dueNow, Optional.empty(), true));
            } else if (dispatcher.tryReserve(endpoint)) {
                reserved.add(endpoint.id());
                drafts.add(new DeliveryDraft(DeliveryId.generate(), endpoint.id(), dueNow, leased));
            } else {
                // No room here: stored for the pollers, due once the endpoint's lane can be expected to have room.
                drafts.add(new DeliveryDraft(DeliveryId.generate(), endpoint.id(),
                        Optional.of(now.plus(dispatcher.backoff(endpoint.id()))), Optional.empty()));
            }
        }
        return new Item(new EventDraft(event, drafts, traceContext), reserved);
    }

    /**
     * Stores an event with one delivery to {@code endpoint}, due now and leased to this node but not handed to
     * the dispatcher: the caller sends it itself (test events). Should this node die first, the lease expires
     * and a poller sends it.
     */
    public PublishedEvent storeForCaller(Event event, EndpointId endpoint, Instant now) {
        requireAccepting();
        var draft = new DeliveryDraft(DeliveryId.generate(), endpoint, Optional.of(now), Optional.of(lease(now)));
        return enqueue(List.of(new Item(new EventDraft(event, List.of(draft)), new ArrayList<>(0)))).getFirst();
    }

    private Lease lease(Instant now) {
        return new Lease(settings.nodeId(), now.plus(settings.leaseDuration()));
    }

    private void requireAccepting() {
        if (!accepting) {
            throw HeraldException.of(ErrorCode.STORE_UNAVAILABLE, "the delivery engine is not running");
        }
    }

    private List<PublishedEvent> enqueue(List<Item> items) {
        var pending = new Pending(items, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HeraldException.wrap(ErrorCode.STORE_UNAVAILABLE, "interrupted while publishing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw HeraldException.wrap(ErrorCode.INTERNAL, "publishing failed", e.getCause());
        }
    }

    /** Stops taking new events, stores what is queued, then stops. */
    public void close(Duration grace) throws InterruptedException {
        accepting = false;
        running = false;
        thread.join(grace);
        if (thread.isAlive()) {
            thread.interrupt();
        }
        failQueued(HeraldException.of(ErrorCode.STORE_UNAVAILABLE, "the delivery engine stopped"));
    }

    /** Stops at once (a simulated crash); queued callers get an error, nothing is stored. */
    public void abandon() {
        accepting = false;
        running = false;
        thread.interrupt();
        failQueued(HeraldException.of(ErrorCode.STORE_UNAVAILABLE, "the delivery engine stopped"));
    }

    private void failQueued(RuntimeException error) {
        Pending p;
        while ((p = queue.poll()) != null) {
            cancelReservations(p);
            p.done().completeExceptionally(error);
        }
    }

    private void run() {
        var batch = new ArrayList<Pending>(settings.batchSize());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.batchSize() - 1);
                insert(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    LOG.info("PublishQueue: interrupted during shutdown, stopping.");
                    return;
                }
                LOG.warn("PublishQueue: interrupted unexpectedly. Will keep running.");
            } catch (Throwable e) {
                LOG.error("PublishQueue: unexpected error storing {} events; their publishers get an error. "
                        + "Will keep running.", batch.size(), e);
                for (var p : batch) {
                    cancelReservations(p);
                    p.done().completeExceptionally(e instanceof RuntimeException r ? r
                            : HeraldException.wrap(ErrorCode.INTERNAL, "publishing failed", e));
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void cancelReservations(Pending p) {
        for (Item item : p.items()) {
            giveBack(item);
        }
    }

    /**
     * Gives back the reservations the item still holds and empties its set, so nothing is given back twice (a
     * failure later in the batch gives back what every item still holds).
     */
    private void giveBack(Item item) {
        item.reserved().forEach(dispatcher::cancelReservation);
        item.reserved().clear();
    }

    private void insert(List<Pending> batch) {
        var drafts = new ArrayList<EventDraft>();
        for (Pending p : batch) {
            for (Item item : p.items()) {
                drafts.add(item.draft());
            }
        }
        List<PublishedEvent> results = store.events().insert(drafts);
        int next = 0;
        for (Pending p : batch) {
            var answers = new ArrayList<PublishedEvent>(p.items().size());
            for (Item item : p.items()) {
                PublishedEvent result = results.get(next++);
                if (result.created()) {
                    published.run();
                    handOff(item, result);
                } else {
                    giveBack(item);
                }
                answers.add(result);
            }
            p.done().complete(answers);
        }
    }

    /**
     * Hands each reserved endpoint's delivery to the dispatcher and gives back the reservations no delivery used. The
     * deliveries come back in the fan-out's order, as the reservations were taken, so one walk of the list matches
     * them (a search of it per delivery was quadratic in a large fan-out); the handed ones leave the item's list
     * (the list is the item's own, used once), so what remains is exactly what to give back.
     */
    private void handOff(Item p, PublishedEvent result) {
        List<EndpointId> reserved = p.reserved();
        if (reserved.isEmpty()) {
            return;
        }
        // the bytes the publish made, shared by the whole fan-out and every attempt
        EncodedPayload payload = result.event().body();
        int handed = 0;
        List<Delivery> deliveries = result.deliveries();
        try {
            for (int i = 0; i < deliveries.size() && handed < reserved.size(); i++) {
                Delivery delivery = deliveries.get(i);
                if (reserved.get(handed).equals(delivery.endpointId())) {
                    handed++;
                    dispatcher.submitReserved(new ClaimedDelivery(delivery, payload,
                            p.draft().traceContext(), result.event().format()));
                }
            }
        } finally {
            // handed, or tried: never given back as well
            reserved.subList(0, handed).clear();
        }
        giveBack(p);
    }
}

package dev.herald.service.delivery;

import dev.herald.core.account.Caller;
import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.delivery.DeliveryEngine;
import dev.herald.service.endpoint.EndpointRef;
import dev.herald.service.endpoint.EndpointService;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.Store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a customer may do with deliveries: read an endpoint's deliveries and one delivery's attempts, retry one
 * now, recover (requeue) an endpoint's failed deliveries since a time, and send a test event. A disabled
 * endpoint cannot be retried, recovered or tested until it is set active again.
 */
public final class DeliveryService {
    private final EndpointService endpoints;
    private final Store store;
    private final DeliveryEngine engine;
    private final Clock clock;

    public DeliveryService(EndpointService endpoints, Store store, DeliveryEngine engine, Clock clock) {
        this.endpoints = endpoints;
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    /** A delivery with its endpoint (empty once deleted) and its attempts, oldest first. */
    public record DeliveryLog(Delivery delivery, Optional<Endpoint> endpoint, List<Attempt> attempts) {
    }

    /** What a recover requeued. */
    public record Recovery(Endpoint endpoint, Instant since, int requeued) {
    }

    /** A test send: the attempt it made and the delivery that carried it. */
    public record TestSend(Endpoint endpoint, Attempt attempt, Optional<Delivery> delivery) {
    }

    /** One page of an endpoint's deliveries. */
    public record EndpointDeliveries(Endpoint endpoint, Page<Delivery> page) {
    }

    public EndpointDeliveries listForEndpoint(Caller caller, EndpointRef ref,
                                              Optional<DeliveryState> state, PageRequest page) {
        Endpoint endpoint = endpoints.get(caller, ref);
        try {
            return new EndpointDeliveries(endpoint, store.deliveries().listForEndpoint(endpoint.id(), state, page));
        } catch (InvalidCursorException e) {
            throw EndpointService.invalidCursor();
        }
    }

    public DeliveryLog get(Caller caller, String deliveryId) {
        Delivery delivery = find(caller, deliveryId);
        return new DeliveryLog(delivery, store.endpoints().find(caller.account(), delivery.endpointId()),
                store.deliveries().attempts(delivery.key()));
    }

    /** Makes the delivery due now whatever its state; returns it as it is afterwards. */
    public DeliveryLog retry(Caller caller, String deliveryId) {
        Delivery delivery = find(caller, deliveryId);
        Endpoint endpoint = store.endpoints().find(caller.account(), delivery.endpointId())
                .orElseThrow(EndpointService::notFound);
        requireNotDisabled(endpoint);
        engine.retryNow(delivery);
        Delivery now = store.deliveries().find(caller.account(), delivery.id()).orElse(delivery);
        return new DeliveryLog(now, Optional.of(endpoint), List.of());
    }

    public Recovery recover(Caller caller, EndpointRef ref, Instant since) {
        return recover(caller, ref, since, Optional.empty());
    }

    /** Requeues the endpoint's failed deliveries created from {@code since} to {@code until} (now when absent). */
    public Recovery recover(Caller caller, EndpointRef ref, Instant since, Optional<Instant> until) {
        if (until.isPresent() && !until.get().isAfter(since)) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "until", "until must be later than since");
        }
        Endpoint endpoint = endpoints.get(caller, ref);
        requireNotDisabled(endpoint);
        int requeued = store.deliveries().requeueFailed(endpoint.id(), since, until, clock.instant());
        // Wakes the engine so the requeued deliveries go out now rather than at the next poll.
        engine.endpointChanged(endpoint.id());
        return new Recovery(endpoint, since, requeued);
    }

    public TestSend sendTest(Caller caller, EndpointRef ref) {
        Endpoint endpoint = endpoints.get(caller, ref);
        requireNotDisabled(endpoint);
        Attempt attempt = engine.sendTest(endpoint);
        return new TestSend(endpoint, attempt, store.deliveries().findByKey(attempt.deliveryKey()));
    }

    private Delivery find(Caller caller, String text) {
        return Optional.of(text).filter(DeliveryId::isValid)
                .flatMap(t -> store.deliveries().find(caller.account(), new DeliveryId(t)))
                .orElseThrow(() -> HeraldException.of(ErrorCode.DELIVERY_NOT_FOUND, "Delivery ID not found"));
    }

    private static void requireNotDisabled(Endpoint endpoint) {
        if (endpoint.status() == EndpointStatus.DISABLED) {
            throw HeraldException.of(ErrorCode.WEBHOOK_DISABLED,
                    "Webhook has been disabled; set its status to active first");
        }
    }
}

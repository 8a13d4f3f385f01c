package dev.herald.acceptance.crosssurface;

import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.store.AttemptRecord;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
import dev.herald.store.Store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Writes finished deliveries to an endpoint through the store's attempt log, the same call the delivery
 * engine's attempt writer makes, so the counters every surface shows come from the real store path. Used where
 * exact counts and times are asserted; {@code CrossSurfaceDeliveryTest} covers real sends by the engine.
 */
public final class RecordedAttempts {
    public static final String FAILURE_MESSAGE = "receiver answered HTTP 500";
    /** Leased to the test until its attempt is recorded, so a running delivery engine leaves it alone. */
    private static final Lease HELD = new Lease("recorded-attempts-test", Instant.now().plus(Duration.ofDays(1)));

    private RecordedAttempts() {
    }

    /** {@code failures} failed deliveries first, then {@code successes} successful ones, one attempt each. */
    public static void record(Store store, Endpoint endpoint, int successes, int failures, Instant at) {
        var records = new ArrayList<AttemptRecord>();
        for (int i = 0; i < failures + successes; i++) {
            boolean success = i >= failures;
            long key = publish(store, endpoint, at);
            records.add(new AttemptRecord(key, endpoint.id(), 1, at.plusMillis(i), 12,
                    OptionalInt.of(success ? 200 : 500), success ? "ok" : "boom",
                    success ? Optional.empty() : Optional.of(ErrorClass.STATUS),
                    success ? Optional.empty() : Optional.of(FAILURE_MESSAGE),
                    success ? DeliveryState.DELIVERED : DeliveryState.FAILED, Optional.empty()));
        }
        store.deliveries().recordAttempts(records);
    }

    private static long publish(Store store, Endpoint endpoint, Instant at) {
        var id = EventId.generate();
        String type = endpoint.eventTypes().getFirst();
        String payload = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + at + "\",\"data\":{}}";
        var event = new Event(id, endpoint.accountId(), type, at, payload, Optional.empty(),
                Optional.of(endpoint.createdBy()));
        var draft = new EventDraft(event, List.of(
                new DeliveryDraft(DeliveryId.generate(), endpoint.id(), Optional.of(at), Optional.of(HELD))));
        return store.events().insert(List.of(draft)).getFirst().deliveries().getFirst().key();
    }
}

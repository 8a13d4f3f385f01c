package dev.herald.store;

import dev.herald.core.account.AccountId;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;

import java.util.List;
import java.util.Optional;

/** Published events, stored with their deliveries in one transaction. */
public interface Events {
    /**
     * Stores each draft's event and deliveries; all drafts commit in one transaction (group commit), so
     * when this returns every created event is durable. A draft whose event id or idempotency key already
     * exists for its account (also within the same batch) stores nothing and yields the original event and
     * its deliveries with {@code created == false}. Results are in the order of {@code drafts}.
     */
    List<PublishedEvent> insert(List<EventDraft> drafts);

    Optional<Event> find(AccountId account, EventId id);

    Optional<Event> findByIdempotencyKey(AccountId account, String idempotencyKey);

    /** The account's first event the platform gave {@code uid} (a Svix message's {@code eventId}). */
    Optional<Event> findByUid(AccountId account, String uid);

    /** The account's events that pass {@code filter}, newest first. */
    default Page<Event> list(AccountId account, EventFilter filter, PageRequest page) {
        return list(account, filter, page, ListOrder.NEWEST_FIRST);
    }

    /** The account's events that pass {@code filter} in {@code order}; the cursor continues in that direction. */
    Page<Event> list(AccountId account, EventFilter filter, PageRequest page, ListOrder order);

    /** The event's deliveries, oldest first. */
    List<Delivery> deliveriesOf(AccountId account, EventId id);
}

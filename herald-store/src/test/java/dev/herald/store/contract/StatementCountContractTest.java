package dev.herald.store.contract;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.event.Event;
import dev.herald.store.AttemptRecord;
import dev.herald.store.EventDraft;
import dev.herald.store.PublishedEvent;
import dev.herald.store.jdbc.StatementCounter.Kind;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code herald_store_statements_total{store,kind}} counts what the store sends to the database: one per statement
 * execution, one per JDBC batch however many rows it carries, one per commit. A batch of events or attempts costs
 * the same few statements whatever its size.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class StatementCountContractTest extends StoreContractTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TestTenant acme;
    private Endpoint endpoint;

    StatementCountContractTest(StoreKind kind) {
        super(kind);
    }

    @Override
    @BeforeEach
    void openStore() {
        store = kind.open(dir, registry);
        acme = TestData.tenant(store, NOW);
        endpoint = TestData.endpoint(store, acme, "https://example.com/a", NOW);
    }

    @Test
    void aBatchOfUpTo128EventsIsTwoInsertsAndOneCommit() {
        var drafts = newEvents(50);
        var before = counts();

        store.events().insert(drafts);

        var sent = since(before);
        assertThat(sent.get(Kind.QUERY)).as("INSERT … RETURNING of events, then of deliveries").isEqualTo(2);
        assertThat(sent.get(Kind.COMMIT)).isEqualTo(1);
        assertThat(sent.get(Kind.UPDATE) + sent.get(Kind.BATCH) + sent.get(Kind.EXECUTE) + sent.get(Kind.ROLLBACK))
                .isZero();
    }

    @Test
    void aBatchLongerThanOneStatementTakesIsInsertedInChunksOf128Rows() {
        var drafts = newEvents(300);
        var before = counts();

        var published = store.events().insert(drafts);

        var sent = since(before);
        assertThat(published).extracting(PublishedEvent::created).hasSize(300).containsOnly(true);
        assertThat(sent.get(Kind.QUERY)).as("events and deliveries, each in 128 + 128 + 44 rows").isEqualTo(6);
        assertThat(sent.get(Kind.COMMIT)).isEqualTo(1);
    }

    @Test
    void aReplayedBatchCostsTheSameStatementsWhateverItsSize() {
        var two = replay(2);
        var fifty = replay(50);

        assertThat(fifty).isEqualTo(two);
        // INSERT … RETURNING of events (nothing new), the originals by event id, by idempotency key, their deliveries
        assertThat(two.get(Kind.QUERY)).isEqualTo(4);
        assertThat(two.get(Kind.COMMIT)).isEqualTo(1);
    }

    /** Drafts of {@code events} new events, each to the endpoint. */
    private List<EventDraft> newEvents(int events) {
        var drafts = new ArrayList<EventDraft>();
        for (int i = 0; i < events; i++) {
            drafts.add(TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(endpoint), NOW));
        }
        return drafts;
    }

    /** What storing {@code events} repeats sent, by kind: half repeat an event id, half an idempotency key. */
    private Map<Kind, Long> replay(int events) {
        var drafts = new ArrayList<EventDraft>();
        var repeats = new ArrayList<EventDraft>();
        for (int i = 0; i < events; i++) {
            var event = TestData.event(acme, "job.completed", NOW);
            if (i % 2 == 0) {
                drafts.add(TestData.draft(event, List.of(endpoint), NOW));
                repeats.add(TestData.draft(event, List.of(endpoint), NOW));
            } else {
                String key = "replay-" + events + "-" + i;
                drafts.add(TestData.draft(keyed(event, key), List.of(endpoint), NOW));
                repeats.add(TestData.draft(keyed(TestData.event(acme, "job.completed", NOW), key), List.of(endpoint),
                        NOW));
            }
        }
        store.events().insert(drafts);
        var before = counts();
        var results = store.events().insert(repeats);
        assertThat(results).extracting(PublishedEvent::created).containsOnly(false);
        return since(before);
    }

    private static Event keyed(Event e, String key) {
        return new Event(e.id(), e.accountId(), e.type(), e.timestamp(), e.payload(), Optional.of(key),
                e.publishedBy());
    }

    @Test
    void aBatchOfAttemptsCostsTheSameStatementsWhateverItsSize() {
        var one = record(1);
        var fifty = record(50);

        assertThat(fifty).isEqualTo(one);
        assertThat(one.get(Kind.COMMIT)).isEqualTo(1);
        assertThat(one.get(Kind.ROLLBACK)).isZero();
        long statements = one.get(Kind.QUERY) + one.get(Kind.UPDATE) + one.get(Kind.EXECUTE) + one.get(Kind.BATCH);
        if (kind == StoreKind.POSTGRES) {
            // attempts, deliveries, held retries, counters and their read-back sent together: one round trip
            assertThat(one.get(Kind.EXECUTE)).isEqualTo(1);
            assertThat(statements).isEqualTo(1);
        } else {
            // attempts inserted (a batch), deliveries updated, endpoint counters updated (a batch), counters read back
            assertThat(statements).isEqualTo(4);
        }
    }

    @Test
    void eachKindIsPublishedWithTheStoreItCountsFor() {
        TestData.publish(store, acme, "job.completed", NOW, endpoint);

        for (Kind kind : Kind.values()) {
            assertThat(registry.find("herald.store.statements").tag("store", store.kind()).tag("kind", kind.label())
                    .functionCounter()).as(kind.label()).isNotNull();
        }
        assertThat(count(Kind.COMMIT)).isPositive();
    }

    /** What recording one attempt for each of {@code deliveries} new deliveries sent, by kind. */
    private Map<Kind, Long> record(int deliveries) {
        var records = new ArrayList<AttemptRecord>();
        for (int i = 0; i < deliveries; i++) {
            var delivery = TestData.publish(store, acme, "job.completed", NOW, endpoint).deliveries().getFirst();
            records.add(new AttemptRecord(delivery.key(), endpoint.id(), 1, NOW, 10, OptionalInt.of(200), "ok",
                    Optional.empty(), Optional.empty(), DeliveryState.DELIVERED, Optional.empty()));
        }
        var before = counts();
        store.deliveries().recordAttempts(records);
        return since(before);
    }

    private Map<Kind, Long> counts() {
        var counts = new EnumMap<Kind, Long>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, count(kind));
        }
        return counts;
    }

    /** Savepoints (SQLite's group commit gives each caller's work one) are left out: they never leave the process. */
    private Map<Kind, Long> since(Map<Kind, Long> before) {
        var sent = new EnumMap<Kind, Long>(Kind.class);
        for (Kind kind : Kind.values()) {
            if (kind != Kind.SAVEPOINT) {
                sent.put(kind, count(kind) - before.get(kind));
            }
        }
        return sent;
    }

    private long count(Kind kind) {
        FunctionCounter counter = registry.find("herald.store.statements").tag("store", store.kind())
                .tag("kind", kind.label()).functionCounter();
        return counter == null ? 0 : (long) counter.count();
    }
}

package dev.herald.store.contract;

import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.AttemptRecord;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.DeliveryDraft;
import dev.herald.store.EventDraft;
import dev.herald.store.Lease;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestStores;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FIFO endpoints with a large backlog (issue: every claim walked the backlog's due rows, only to find each one not its
 * endpoint's head): heads are claimed in order, other work alongside, and neither claim statement reads the backlog.
 */
@ParameterizedClass
@EnumSource(StoreKind.class)
class FifoBacklogContractTest extends StoreContractTest {
    /** Per FIFO endpoint; each delivery due before any unordered one, so a walk in due order meets them first. */
    private static final int BACKLOG = 1_500;
    private static final int UNORDERED = 20;
    /** Published in blocks, as a busy publisher would. */
    private static final int PER_INSERT = 500;

    private Endpoint fifoA;
    private Endpoint fifoB;
    private Endpoint unordered;
    /** Each FIFO endpoint's deliveries in publish (sequence) order. */
    private Map<EndpointId, List<Delivery>> backlogs;
    private List<Long> unorderedKeys;

    FifoBacklogContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void backlog() {
        TestTenant acme = TestData.tenant(store, NOW);
        fifoA = fifo(acme, "https://example.com/fifo-a");
        fifoB = fifo(acme, "https://example.com/fifo-b");
        unordered = TestData.endpoint(store, acme, "https://example.com/any", NOW);
        var a = new ArrayList<Delivery>();
        var b = new ArrayList<Delivery>();
        for (int from = 0; from < BACKLOG; from += PER_INSERT) {
            var drafts = new ArrayList<EventDraft>();
            for (int i = from; i < from + PER_INSERT; i++) {
                Optional<Instant> due = Optional.of(NOW.minusSeconds(3_600).plusMillis(i));
                drafts.add(new EventDraft(TestData.event(acme, "job.completed", NOW), List.of(
                        new DeliveryDraft(DeliveryId.generate(), fifoA.id(), due, Optional.empty(), true),
                        new DeliveryDraft(DeliveryId.generate(), fifoB.id(), due, Optional.empty(), true))));
            }
            for (var published : store.events().insert(drafts)) {
                a.add(published.deliveries().get(0));
                b.add(published.deliveries().get(1));
            }
        }
        backlogs = Map.of(fifoA.id(), a, fifoB.id(), b);
        var drafts = new ArrayList<EventDraft>();
        for (int i = 0; i < UNORDERED; i++) {
            drafts.add(TestData.draft(TestData.event(acme, "job.completed", NOW), List.of(unordered),
                    NOW.minusSeconds(60).plusMillis(i)));
        }
        unorderedKeys = store.events().insert(drafts).stream().map(p -> p.deliveries().getFirst().key()).toList();
    }

    @Test
    void theHeadsOfFifoBacklogsAreClaimedInOrderAlongsideUnorderedWork() {
        var first = claim(NOW, NOW.plusSeconds(600), 50);

        assertThat(first).extracting(c -> c.delivery().key()).containsExactlyInAnyOrderElementsOf(concat(
                List.of(head(fifoA, 0), head(fifoB, 0)), unorderedKeys));
        for (int n = 1; n <= 25; n++) {
            finish(fifoA, n - 1);
            finish(fifoB, n - 1);
            var next = claim(NOW, NOW.plusSeconds(600), 50);
            assertThat(next).as("claim %d", n).extracting(c -> c.delivery().key())
                    .containsExactlyInAnyOrder(head(fifoA, n), head(fifoB, n));
            assertThat(next).extracting(c -> c.delivery().sequence().getAsLong()).containsOnly(n + 1L);
        }
    }

    @Test
    void theQueueDepthCountsFifoAndUnorderedDeliveries() {
        claim(NOW, NOW.plusSeconds(600), 50); // two heads and the unordered rows leased: still pending, still due
        store.deliveries().recordAttempts(List.of(new AttemptRecord(head(fifoA, 0), fifoA.id(), 1, NOW, 5,
                OptionalInt.of(500), "", Optional.of(ErrorClass.STATUS), Optional.of("HTTP 500"), DeliveryState.PENDING,
                Optional.of(NOW.plusSeconds(120)))));

        var depth = store.deliveries().depth(NOW);

        assertThat(depth.dueNow()).isEqualTo(2L * BACKLOG + UNORDERED - 1);
        assertThat(depth.scheduled()).isEqualTo(1);
    }

    @Test
    void aHeadInFlightOrRetryingKeepsItsBacklogWaitingAndIsClaimedAgainOnceItsLeaseExpires() {
        assertThat(claimOf(fifoA, NOW, NOW.plusSeconds(30))).containsExactly(head(fifoA, 0));

        assertThat(claimOf(fifoA, NOW.plusSeconds(10), NOW.plusSeconds(40))).as("in flight").isEmpty();
        // the claimer died: its lease expires and the head, still the head, goes again
        assertThat(claimOf(fifoA, NOW.plusSeconds(31), NOW.plusSeconds(61))).containsExactly(head(fifoA, 0));
        store.deliveries().recordAttempts(List.of(new AttemptRecord(head(fifoA, 0), fifoA.id(), 1,
                NOW.plusSeconds(32), 5, OptionalInt.of(500), "", Optional.of(ErrorClass.STATUS),
                Optional.of("HTTP 500"), DeliveryState.PENDING, Optional.of(NOW.plusSeconds(120)))));
        assertThat(claimOf(fifoA, NOW.plusSeconds(60), NOW.plusSeconds(90))).as("retrying later").isEmpty();
        assertThat(claimOf(fifoA, NOW.plusSeconds(121), NOW.plusSeconds(151))).containsExactly(head(fifoA, 0));
    }

    @Test
    void theUnorderedClaimWalksAnIndexWithoutFifoDeliveriesAndTheHeadsAreReadByKey() throws SQLException {
        try (var c = TestStores.connect(store, dir)) {
            if (kind == StoreKind.POSTGRES) {
                try (var st = c.createStatement()) {
                    st.execute("ANALYZE deliveries"); // as autovacuum would have by now: plans as in production
                }
            }
            String unorderedPlan = plan(c, kind.dialect().claimDueSql());
            String headsPlan = plan(c, kind.dialect().claimHeadsSql());

            assertThat(unorderedPlan).contains("deliveries_due_unordered");
            assertThat(headsPlan).contains("deliveries_fifo").doesNotContain("deliveries_due")
                    .contains(kind == StoreKind.POSTGRES ? "deliveries_pkey" : "INTEGER PRIMARY KEY");
        }
    }

    private Endpoint fifo(TestTenant tenant, String url) {
        return store.endpoints().create(new NewEndpoint(tenant.accountId(), url, List.of("*"), Optional.empty(),
                tenant.keyId(), Optional.empty(), OptionalInt.empty(), Map.of(), SigningSecret.generate(),
                Destination.WEBHOOK, EndpointProfile.NONE, Optional.empty(), Ordering.FIFO), NOW);
    }

    /** The key of the FIFO endpoint's delivery numbered {@code index + 1}. */
    private long head(Endpoint endpoint, int index) {
        return backlogs.get(endpoint.id()).get(index).key();
    }

    private void finish(Endpoint endpoint, int index) {
        store.deliveries().recordAttempts(List.of(new AttemptRecord(head(endpoint, index), endpoint.id(), 1, NOW, 5,
                OptionalInt.of(200), "", Optional.empty(), Optional.empty(), DeliveryState.DELIVERED,
                Optional.empty())));
    }

    private List<ClaimedDelivery> claim(Instant at, Instant leasedUntil, int limit) {
        return store.deliveries().claimDue(new Lease("node-" + at.toEpochMilli(), leasedUntil), at, limit);
    }

    /** The keys of what a claim at {@code at} takes of the endpoint's deliveries. */
    private List<Long> claimOf(Endpoint endpoint, Instant at, Instant leasedUntil) {
        return claim(at, leasedUntil, 50).stream().filter(c -> c.delivery().endpointId().equals(endpoint.id()))
                .map(c -> c.delivery().key()).toList();
    }

    /**
     * The plan of a claim statement as the claim runs it (in a transaction after the dialect's planner settings),
     * binding now, now and a limit: SQLite's EXPLAIN QUERY PLAN details, PostgreSQL's EXPLAIN lines.
     */
    private String plan(Connection c, String claimSql) throws SQLException {
        c.setAutoCommit(false);
        try {
            var dialect = kind.dialect();
            if (dialect.beforeClaimSql().isPresent()) {
                try (var st = c.createStatement()) {
                    st.execute(dialect.beforeClaimSql().get());
                }
            }
            boolean sqlite = kind == StoreKind.SQLITE;
            try (var ps = c.prepareStatement((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + claimSql)) {
                ps.setLong(1, NOW.toEpochMilli());
                ps.setLong(2, NOW.toEpochMilli());
                ps.setInt(3, 50);
                var plan = new StringBuilder();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(sqlite ? "detail" : "QUERY PLAN")).append('\n');
                    }
                }
                return plan.toString();
            }
        } finally {
            c.rollback();
        }
    }

    private static List<Long> concat(List<Long> first, List<Long> second) {
        var all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}

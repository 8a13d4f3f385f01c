package dev.herald.store.contract;

import dev.herald.core.event.Event;
import dev.herald.core.event.EventId;
import dev.herald.store.EventFilter;
import dev.herald.store.InvalidCursorException;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ParameterizedClass
@EnumSource(StoreKind.class)
class EventListContractTest extends StoreContractTest {
    private TestTenant acme;

    EventListContractTest(StoreKind kind) {
        super(kind);
    }

    @BeforeEach
    void tenant() {
        acme = TestData.tenant(store, NOW);
    }

    @Test
    void listsTheAccountsEventsNewestFirstPageByPage() {
        var published = new ArrayList<EventId>();
        for (int i = 0; i < 5; i++) {
            published.add(TestData.publish(store, acme, "job.completed", NOW.plusSeconds(i)).event().id());
        }

        var seen = new ArrayList<EventId>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            Page<Event> page = store.events().list(acme.accountId(), EventFilter.ALL, new PageRequest(cursor, 2));
            page.items().forEach(e -> seen.add(e.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor.isPresent());

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(published.reversed());
    }

    @Test
    void listedEventsCarryTheirTypeTimeAndPayload() {
        var published = TestData.publish(store, acme, "job.failed", NOW).event();

        var page = store.events().list(acme.accountId(), EventFilter.ALL, PageRequest.first(10));

        assertThat(page.items()).containsExactly(published);
        assertThat(page.hasMore()).isFalse();
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void filtersByTypeAndByTimeSinceInclusiveUntilExclusive() {
        var first = TestData.publish(store, acme, "job.completed", NOW).event().id();
        var failed = TestData.publish(store, acme, "job.failed", NOW.plusSeconds(10)).event().id();
        var third = TestData.publish(store, acme, "job.completed", NOW.plusSeconds(20)).event().id();

        assertThat(ids(EventFilter.ALL.withType("job.completed"))).containsExactly(third, first);
        assertThat(ids(EventFilter.ALL.withSince(NOW.plusSeconds(10)))).containsExactly(third, failed);
        assertThat(ids(EventFilter.ALL.withUntil(NOW.plusSeconds(20)))).containsExactly(failed, first);
        assertThat(ids(EventFilter.ALL.withType("job.completed").withSince(NOW.plusSeconds(1))
                .withUntil(NOW.plusSeconds(30)))).containsExactly(third);
        assertThat(ids(EventFilter.ALL.withType("message.sent"))).isEmpty();
    }

    @Test
    void anotherAccountsEventsAreNeverListed() {
        var globex = TestData.tenant(store, NOW);
        TestData.publish(store, globex, "job.completed", NOW);
        var ours = TestData.publish(store, acme, "job.completed", NOW).event().id();

        assertThat(ids(EventFilter.ALL)).containsExactly(ours);
    }

    @Test
    void aMalformedCursorIsRefused() {
        assertThatThrownBy(() -> store.events().list(acme.accountId(), EventFilter.ALL,
                new PageRequest(Optional.of("not a cursor"), 10))).isInstanceOf(InvalidCursorException.class);
    }

    private List<EventId> ids(EventFilter filter) {
        return store.events().list(acme.accountId(), filter, PageRequest.first(PageRequest.MAX_LIMIT)).items()
                .stream().map(Event::id).toList();
    }
}

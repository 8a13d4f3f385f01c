package dev.herald.store.contract;

import dev.herald.core.event.EventType;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class EventTypeContractTest extends StoreContractTest {
    EventTypeContractTest(StoreKind kind) {
        super(kind);
    }

    @Test
    void putsReplacesListsAndDeletesAnAccountsEventTypes() {
        var acme = store.accounts().create("Acme", NOW);
        var globex = store.accounts().create("Globex", NOW);
        var completed = new EventType("job.completed", "A job finished", Optional.of("{\"type\":\"object\"}"));
        var failed = new EventType("job.failed", "A job failed", Optional.empty());

        store.eventTypes().put(acme.id(), failed, NOW);
        store.eventTypes().put(acme.id(), completed, NOW);
        var replaced = new EventType("job.completed", "A job is done", Optional.empty());
        assertThat(store.eventTypes().put(acme.id(), replaced, NOW.plusSeconds(1))).isEqualTo(replaced);

        assertThat(store.eventTypes().list(acme.id())).containsExactly(replaced, failed);
        assertThat(store.eventTypes().find(acme.id(), "job.completed")).contains(replaced);
        assertThat(store.eventTypes().list(globex.id())).isEmpty();
        assertThat(store.eventTypes().find(globex.id(), "job.completed")).isEmpty();

        assertThat(store.eventTypes().delete(globex.id(), "job.failed")).isFalse();
        assertThat(store.eventTypes().delete(acme.id(), "job.failed")).isTrue();
        assertThat(store.eventTypes().delete(acme.id(), "job.failed")).isFalse();
        assertThat(store.eventTypes().list(acme.id())).containsExactly(replaced);
    }
}

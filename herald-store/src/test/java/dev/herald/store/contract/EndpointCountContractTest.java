package dev.herald.store.contract;

import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(StoreKind.class)
class EndpointCountContractTest extends StoreContractTest {
    EndpointCountContractTest(StoreKind kind) {
        super(kind);
    }

    @Test
    void anEmptyStoreCountsZeroForEveryStatus() {
        assertThat(store.endpoints().countByStatus()).isEqualTo(Map.of(EndpointStatus.ACTIVE, 0L,
                EndpointStatus.PAUSED, 0L, EndpointStatus.FAILING, 0L, EndpointStatus.DISABLED, 0L));
    }

    @Test
    void countsNonDeletedEndpointsOfAllAccountsByStatus() {
        var acme = TestData.tenant(store, NOW);
        var globex = TestData.tenant(store, NOW);
        TestData.endpoint(store, acme, "https://example.com/a", NOW);
        TestData.endpoint(store, globex, "https://example.com/b", NOW);
        var paused = TestData.endpoint(store, acme, "https://example.com/c", NOW);
        store.endpoints().setStatus(paused.id(), EndpointStatus.PAUSED, NOW);
        var disabled = TestData.endpoint(store, globex, "https://example.com/d", NOW);
        store.endpoints().setStatus(disabled.id(), EndpointStatus.DISABLED, NOW);
        var deleted = TestData.endpoint(store, acme, "https://example.com/e", NOW);
        store.endpoints().delete(acme.accountId(), deleted.id(), NOW);

        assertThat(store.endpoints().countByStatus()).isEqualTo(Map.of(EndpointStatus.ACTIVE, 2L,
                EndpointStatus.PAUSED, 1L, EndpointStatus.FAILING, 0L, EndpointStatus.DISABLED, 1L));
    }
}

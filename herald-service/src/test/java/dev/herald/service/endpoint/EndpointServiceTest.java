package dev.herald.service.endpoint;

import dev.herald.core.account.Caller;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.event.EventType;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.core.outbound.UrlPolicy;
import dev.herald.delivery.catalog.EventCatalog;
import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import dev.herald.store.testing.TestData;
import dev.herald.store.testing.TestTenant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The endpoint rules against a real store: partial updates, compare-and-set statuses and their effects. */
@ParameterizedClass
@EnumSource(StoreKind.class)
class EndpointServiceTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final StoreKind kind;
    @TempDir
    Path dir;
    private Store store;
    private EndpointService service;
    private Caller caller;
    private TestTenant tenant;
    private final List<Object> changed = new ArrayList<>();

    EndpointServiceTest(StoreKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void start() {
        store = kind.open(dir);
        var catalog = EventCatalog.create(List.of(new EventType("job.completed", "", Optional.empty())),
                store.eventTypes());
        var urls = UrlPolicy.create(Set.of("https"), AddressPolicy.create(List.of()));
        service = new EndpointService(store, catalog, new EndpointSettings(urls, "X-Herald-Signature",
                Duration.ofHours(24)), changed::add, Clock.systemUTC());
        tenant = TestData.tenant(store, NOW);
        caller = new Caller(tenant.accountId(), tenant.keyId());
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aDescriptionChangeRacingTheEngineDisablingTheEndpointLeavesItDisabled() {
        Endpoint endpoint = service.create(caller, CreateEndpoint.of("https://example.com/a", List.of("job.completed")))
                .endpoint();
        TestData.publish(store, tenant, "job.completed", NOW, endpoint);
        var ref = new EndpointRef.Public(endpoint.publicId());
        Endpoint readByTheUser = service.get(caller, ref);

        // the engine gives up on the endpoint between the user's read and write
        store.endpoints().changeStatus(endpoint.id(), EnumSet.of(EndpointStatus.ACTIVE, EndpointStatus.FAILING),
                EndpointStatus.DISABLED, Instant.now());
        Endpoint updated = service.update(caller, ref, EndpointPatch.NONE.withDescription(Optional.of("renamed")));

        assertThat(readByTheUser.status()).isEqualTo(EndpointStatus.ACTIVE);
        assertThat(updated.status()).isEqualTo(EndpointStatus.DISABLED);
        assertThat(updated.description()).contains("renamed");
        assertThat(store.deliveries().depth(Instant.now()).dueNow()).isZero();
        assertThat(changed).contains(endpoint.id());
    }

    @Test
    void pauseHoldsAndResumeReleasesTheEndpointsDeliveries() {
        Endpoint endpoint = service.create(caller, CreateEndpoint.of("https://example.com/a", List.of("job.completed")))
                .endpoint();
        TestData.publish(store, tenant, "job.completed", NOW, endpoint);
        var ref = new EndpointRef.Public(endpoint.publicId());

        service.update(caller, ref, EndpointPatch.NONE.withStatus(EndpointStatus.PAUSED));
        assertThat(store.deliveries().depth(Instant.now()).held()).isEqualTo(1);
        service.update(caller, ref, EndpointPatch.NONE.withStatus(EndpointStatus.ACTIVE));
        assertThat(store.deliveries().depth(Instant.now()).held()).isZero();
        assertThat(store.deliveries().depth(Instant.now()).dueNow()).isEqualTo(1);
    }

    @Test
    void failingIsSetOnlyByHerald() {
        Endpoint endpoint = service.create(caller, CreateEndpoint.of("https://example.com/a", List.of("job.completed")))
                .endpoint();

        assertThatThrownBy(() -> service.update(caller, new EndpointRef.Public(endpoint.publicId()),
                EndpointPatch.NONE.withStatus(EndpointStatus.FAILING)))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).contains("status");
                });
    }

    @Test
    void anotherAccountsEndpointIsNotFound() {
        Endpoint endpoint = service.create(caller, CreateEndpoint.of("https://example.com/a", List.of("job.completed")))
                .endpoint();
        var other = TestData.tenant(store, NOW);

        assertThatThrownBy(() -> service.update(new Caller(other.accountId(), other.keyId()),
                new EndpointRef.Public(endpoint.publicId()), EndpointPatch.NONE.withDescription(Optional.of("x"))))
                .isInstanceOfSatisfying(HeraldException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.WEBHOOK_NOT_FOUND));
        assertThat(service.get(caller, new EndpointRef.Public(endpoint.publicId())).description()).isEmpty();
    }
}

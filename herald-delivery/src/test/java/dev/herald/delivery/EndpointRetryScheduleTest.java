package dev.herald.delivery;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.destination.Destination;
import dev.herald.core.endpoint.Endpoint;
import dev.herald.core.endpoint.EndpointProfile;
import dev.herald.core.endpoint.EndpointStatus;
import dev.herald.core.endpoint.NewEndpoint;
import dev.herald.core.endpoint.Ordering;
import dev.herald.core.signing.SigningSecret;
import dev.herald.store.testing.StoreKind;
import dev.herald.testing.Await;
import dev.herald.testing.MutableClock;
import dev.herald.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** An endpoint's own retry schedule replaces the configured one: its retries, its probes and its disable point. */
class EndpointRetryScheduleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private WebhookReceiver receiver;
    private EngineFixture f;

    @BeforeEach
    void startReceiver() {
        receiver = WebhookReceiver.start();
        receiver.on("/failing", WebhookReceiver.status(500));
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
        receiver.close();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anEndpointOnItsOwnScheduleIsRetriedAndDisabledByIt(StoreKind kind) {
        var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        f = EngineFixture.start(kind, dir, clock, s -> s);
        var own = List.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(20));
        Endpoint endpoint = f.store.endpoints().create(new NewEndpoint(f.tenant.accountId(),
                receiver.url("/failing"), List.of("order.created"), Optional.empty(), f.tenant.keyId(),
                Optional.empty(), OptionalInt.empty(), Map.of(), SigningSecret.generate(),
                Destination.WEBHOOK, EndpointProfile.NONE, Optional.of(own), Ordering.UNORDERED), clock.instant());
        f.engine.endpointChanged(endpoint.id());
        Instant t0 = clock.instant();

        var delivery = f.deliveryOf(f.publish("order.created"), endpoint);

        Await.until("first attempt", WAIT, () -> f.attempts(delivery).size() == 1);
        assertThat(f.reload(delivery).nextAttemptAt()).hasValue(t0.plusSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        Await.until("second attempt", WAIT, () -> f.attempts(delivery).size() == 2);
        assertThat(f.reload(delivery).nextAttemptAt()).hasValue(t0.plusSeconds(30));
        clock.advance(Duration.ofSeconds(20));
        Await.until("third and last attempt", WAIT, () -> f.reload(delivery).state() == DeliveryState.FAILED);
        // three attempts, not the configured five: the endpoint is disabled at the end of its own schedule
        Await.until("disabled", WAIT, () -> f.reload(endpoint).status() == EndpointStatus.DISABLED);
        assertThat(f.attempts(delivery)).hasSize(3);
    }
}

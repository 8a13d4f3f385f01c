package dev.herald.delivery;

import dev.herald.core.account.AccountId;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryId;
import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.core.event.EncodedPayload;
import dev.herald.core.event.EventFormat;
import dev.herald.core.event.EventId;
import dev.herald.delivery.trace.DeliveryTracing;
import dev.herald.store.ClaimedDelivery;
import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** How an attempt's end reaches the dispatcher: once, whatever fails on the way. */
class AttemptRunnerTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        store = StoreKind.SQLITE.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /**
     * The endpoint is gone, so the attempt ends while it is being started; the dispatcher's answer to that throws.
     * The failure must not tell the dispatcher a second time (it would free the attempt's slot twice).
     */
    @Test
    void anEndWhoseTellingFailsIsNotToldAgain() {
        var cache = new EndpointCache(store.endpoints(), Clock.systemUTC(), Duration.ofSeconds(1));
        var runner = new AttemptRunner(cache, null, null, DeliverySettings.defaults(), Clock.systemUTC(), Runnable::run,
                null, DeliveryTracing.off());
        var ends = new ArrayList<AttemptEnd>();

        runner.start(job(new EndpointId(404)), (job, end) -> {
            ends.add(end);
            throw new IllegalStateException("the dispatcher's answer failed");
        });

        assertThat(ends).hasSize(1).first().isInstanceOf(AttemptEnd.EndpointGone.class);
    }

    private static DeliveryJob job(EndpointId endpoint) {
        var delivery = new Delivery(1, DeliveryId.generate(), new AccountId(1), EventId.generate(), "job.done",
                endpoint, DeliveryState.PENDING, 0, Optional.of(NOW), Optional.empty(), NOW, NOW,
                OptionalLong.empty());
        return new DeliveryJob(new ClaimedDelivery(delivery, EncodedPayload.of("{}"), Optional.empty(),
                EventFormat.CANONICAL));
    }
}

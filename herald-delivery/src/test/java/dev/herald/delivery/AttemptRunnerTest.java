package dev.herald.delivery;

import dev.herald.core.endpoint.EndpointId;
import dev.herald.delivery.trace.DeliveryTracing;
import dev.herald.store.Store;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;

import static dev.herald.delivery.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/** How an attempt's end reaches the dispatcher: once, whatever fails on the way. */
class AttemptRunnerTest {
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

        runner.start(job(new EndpointId(404), 1), (job, end) -> {
            ends.add(end);
            throw new IllegalStateException("the dispatcher's answer failed");
        });

        assertThat(ends).hasSize(1).first().isInstanceOf(AttemptEnd.EndpointGone.class);
    }
}

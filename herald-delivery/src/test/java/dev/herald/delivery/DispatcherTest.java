package dev.herald.delivery;

import dev.herald.core.endpoint.EndpointId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

import static dev.herald.delivery.TestJobs.job;
import static org.assertj.core.api.Assertions.assertThat;

/** The dispatcher's lanes: kept while idle (up to a bound), and jobs started and finished through them. */
class DispatcherTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    /** Started jobs and their callbacks, finished by the test. */
    private final List<DeliveryJob> started = new ArrayList<>();
    private BiConsumer<DeliveryJob, AttemptEnd> done;
    private final Dispatcher dispatcher = new Dispatcher(DeliverySettings.defaults(), timers, (job, whenDone) -> {
        started.add(job);
        done = whenDone;
    }, () -> 0);

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void anIdleLaneIsKeptForTheEndpointsNextDeliveryAndHasTheRoomOfANewOne() {
        var endpoint = new EndpointId(7);
        int emptyRoom = dispatcher.laneRooms().applyAsInt(new EndpointId(8));
        assertThat(dispatcher.submit(job(endpoint, 1), OptionalInt.empty())).isTrue();
        assertThat(started).hasSize(1);
        assertThat(dispatcher.inFlight()).isEqualTo(1);

        done.accept(started.getFirst(), new AttemptEnd.Sent(OptionalInt.empty()));

        assertThat(dispatcher.inFlight()).isZero();
        assertThat(dispatcher.lanes()).as("kept while idle").isEqualTo(1);
        assertThat(dispatcher.laneRooms().applyAsInt(endpoint)).isEqualTo(emptyRoom);
        assertThat(dispatcher.submit(job(endpoint, 2), OptionalInt.empty())).isTrue();
        assertThat(started).hasSize(2);
        assertThat(dispatcher.lanes()).isEqualTo(1);
    }

    @Test
    void idleLanesBeyondTheBoundAreDropped() {
        for (int i = 1; i <= Dispatcher.LANES_KEPT + 50; i++) {
            assertThat(dispatcher.submit(job(new EndpointId(i), i), OptionalInt.empty())).isTrue();
            done.accept(started.getLast(), new AttemptEnd.Sent(OptionalInt.empty()));
        }
        assertThat(started).hasSize(Dispatcher.LANES_KEPT + 50);
        assertThat(dispatcher.inFlight()).isZero();
        assertThat(dispatcher.lanes()).isEqualTo(Dispatcher.LANES_KEPT);
    }

    @Test
    void aLaneHoldingWorkHasLessRoomAndAFinishedJobStartsTheNextWaitingOne() {
        var endpoint = new EndpointId(3);
        int concurrency = DeliverySettings.defaults().limits().maxConcurrencyPerEndpoint();
        for (int i = 0; i < concurrency + 2; i++) {
            assertThat(dispatcher.submit(job(endpoint, i + 1), OptionalInt.empty())).isTrue();
        }
        assertThat(started).hasSize(concurrency);
        int room = dispatcher.laneRooms().applyAsInt(endpoint);
        assertThat(room).isEqualTo(dispatcher.laneRooms().applyAsInt(new EndpointId(4)) - 2);

        done.accept(started.getFirst(), new AttemptEnd.Sent(OptionalInt.empty()));

        assertThat(started).hasSize(concurrency + 1);
        assertThat(dispatcher.laneRooms().applyAsInt(endpoint)).isEqualTo(room + 1);
    }
}

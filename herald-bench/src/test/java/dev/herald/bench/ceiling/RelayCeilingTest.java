package dev.herald.bench.ceiling;

import dev.herald.bench.receiver.Receiver;
import dev.herald.bench.receiver.ReceiverBehaviour;
import dev.herald.bench.target.LoadClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RelayCeilingTest {
    private static final byte[] BODY = "{\"type\":\"bench\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void everyPublishedEventReachesEachOfItsFanOutPathsOnce() {
        try (var receiver = Receiver.start(new ReceiverBehaviour(0, 0));
             var relay = RelayCeiling.start(receiver, 8);
             var publisher = LoadClient.create(8)) {
            double perSecond = relay.round(publisher, 8, 30, 10, BODY);

            assertThat(receiver.distinctDeliveries()).isEqualTo(300);
            assertThat(receiver.requests()).isEqualTo(300);
            assertThat(perSecond).isPositive();
        }
    }

    @Test
    void measuresEveryRoundAtTheAskedFanOut() {
        try (var receiver = Receiver.start(new ReceiverBehaviour(0, 0))) {
            var rate = RelayCeiling.measure(receiver, 4, 300, 1, BODY, Duration.ZERO);

            assertThat(rate.rounds()).hasSize(HttpCeiling.ROUNDS).allSatisfy(r -> assertThat(r).isPositive());
            assertThat(receiver.distinctDeliveries()).isEqualTo(100);
        }
    }
}

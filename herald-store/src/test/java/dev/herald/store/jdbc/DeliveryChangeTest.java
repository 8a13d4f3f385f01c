package dev.herald.store.jdbc;

import dev.herald.core.delivery.DeliveryState;
import dev.herald.core.delivery.ErrorClass;
import dev.herald.core.endpoint.EndpointId;
import dev.herald.store.AttemptRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch's attempts of one delivery fold into the change applying them one by one would make. */
class DeliveryChangeTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");
    private static final EndpointId ENDPOINT = new EndpointId(1);

    @Test
    void aFailureThenASuccessEndDeliveredWithTheFailureAsFirstFailed() {
        var changes = DeliveryChange.fold(List.of(failed(7, 1, T), delivered(7, 2, T.plusSeconds(60))));

        assertThat(changes).containsExactly(new DeliveryChange(7, DeliveryState.DELIVERED, 2, Optional.empty(),
                Optional.of(T), T.plusSeconds(60)));
    }

    @Test
    void attemptsAfterTheOneThatFinishedTheDeliveryChangeNothing() {
        var changes = DeliveryChange.fold(List.of(delivered(7, 1, T), failed(7, 2, T.plusSeconds(1))));

        assertThat(changes).containsExactly(new DeliveryChange(7, DeliveryState.DELIVERED, 1, Optional.empty(),
                Optional.empty(), T));
    }

    @Test
    void eachDeliveryGetsItsOwnChangeInKeyOrder() {
        var changes = DeliveryChange.fold(List.of(failed(3, 1, T), failed(3, 2, T.plusSeconds(5)), delivered(9, 1, T)));

        assertThat(changes).extracting(DeliveryChange::key).containsExactly(3L, 9L);
        assertThat(changes.getFirst().attempts()).isEqualTo(2);
        assertThat(changes.getFirst().failedAt()).contains(T);
        assertThat(changes.getFirst().nextAttemptAt()).contains(T.plusSeconds(65));
    }

    private static AttemptRecord failed(long key, int number, Instant at) {
        return new AttemptRecord(key, ENDPOINT, number, at, 10, OptionalInt.of(500), "", Optional.of(ErrorClass.STATUS),
                Optional.of("500"), DeliveryState.PENDING, Optional.of(at.plusSeconds(60)));
    }

    private static AttemptRecord delivered(long key, int number, Instant at) {
        return new AttemptRecord(key, ENDPOINT, number, at, 10, OptionalInt.of(200), "", Optional.empty(),
                Optional.empty(), DeliveryState.DELIVERED, Optional.empty());
    }
}

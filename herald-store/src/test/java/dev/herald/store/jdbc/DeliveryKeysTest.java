package dev.herald.store.jdbc;

import dev.herald.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryKeysTest {
    @Test
    void findsEachDeliveryByItsEventAndEndpoint() {
        var keys = new DeliveryKeys(1_000);
        // a fan-out of 10 per event, and the same endpoints again for every event
        for (long event = 1; event <= 100; event++) {
            for (long endpoint = 1; endpoint <= 10; endpoint++) {
                keys.put(event, endpoint, event * 1_000 + endpoint);
            }
        }
        assertThat(keys.size()).isEqualTo(1_000);
        for (long event = 1; event <= 100; event++) {
            for (long endpoint = 1; endpoint <= 10; endpoint++) {
                assertThat(keys.get(event, endpoint)).isEqualTo(event * 1_000 + endpoint);
            }
        }
    }

    @Test
    void anAbsentDeliveryIsMinusOne() {
        var keys = new DeliveryKeys(2);
        keys.put(7, 3, 70);
        assertThat(keys.get(7, 4)).isEqualTo(-1);
        assertThat(keys.get(3, 7)).as("event and endpoint are not interchangeable").isEqualTo(-1);
        assertThat(new DeliveryKeys(0).get(1, 1)).isEqualTo(-1);
    }

    @Test
    void refusesTwoDeliveriesOfOneEventToOneEndpoint() {
        var keys = new DeliveryKeys(4);
        keys.put(5, 9, 1);
        assertThatThrownBy(() -> keys.put(5, 9, 2)).isInstanceOf(StoreException.class)
                .hasMessageContaining("two deliveries");
        assertThat(keys.get(5, 9)).isEqualTo(1);
    }

    @Test
    void refusesMoreRowsThanItHasRoomFor() {
        var keys = new DeliveryKeys(1);
        keys.put(1, 1, 1);
        keys.put(1, 2, 2);
        keys.put(1, 3, 3);
        assertThatThrownBy(() -> keys.put(1, 4, 4)).isInstanceOf(StoreException.class);
        assertThat(keys.get(1, 3)).isEqualTo(3);
    }

    @Test
    void refusesAnEventKeyThatIsNotPositive() {
        assertThatThrownBy(() -> new DeliveryKeys(1).put(0, 1, 1)).isInstanceOf(StoreException.class);
    }
}

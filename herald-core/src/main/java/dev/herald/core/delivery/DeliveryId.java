package dev.herald.core.delivery;

import dev.herald.core.id.RandomIds;

/** The public id of a delivery (one event to one endpoint): {@code dlv_…}. */
public record DeliveryId(String value) {
    public static final String PREFIX = "dlv_";

    public DeliveryId {
        if (!RandomIds.hasShape(value, PREFIX)) {
            throw new IllegalArgumentException("delivery id must look like dlv_…");
        }
    }

    public static DeliveryId generate() {
        return new DeliveryId(RandomIds.timeOrdered(PREFIX, 24, System.currentTimeMillis()));
    }

    public static boolean isValid(String value) {
        return RandomIds.hasShape(value, PREFIX);
    }

    @Override
    public String toString() {
        return value;
    }
}

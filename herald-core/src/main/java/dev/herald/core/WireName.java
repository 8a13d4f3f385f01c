package dev.herald.core;

import java.util.Optional;

/**
 * A value with the lowercase name it is stored and sent under ({@code half_open}, {@code failing}). The enums that
 * have one keep it in a field, made once, and look values up in an array of their own, made once: these names are
 * read back with every row of deliveries and endpoints, and making the name again for each comparison (and a copy of
 * the enum's values for each lookup) was allocation on every claim.
 */
public interface WireName {
    String wireName();

    /** The value of {@code values} whose wire name is {@code wire}. */
    static <E extends WireName> Optional<E> find(E[] values, String wire) {
        for (E value : values) {
            if (value.wireName().equals(wire)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}

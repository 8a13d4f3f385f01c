package dev.herald.core.account;

import java.util.Locale;
import java.util.Optional;

/**
 * Lifecycle of an account. {@code active} works normally; {@code disabled} refuses its keys and holds its
 * endpoints' deliveries until enabled again; {@code deleted} is on its way out: invisible everywhere while the
 * last of its rows are purged.
 */
public enum AccountStatus {
    ACTIVE,
    DISABLED,
    DELETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AccountStatus> fromWire(String value) {
        for (var status : values()) {
            if (status.wireName().equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}

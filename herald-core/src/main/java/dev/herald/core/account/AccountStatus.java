package dev.herald.core.account;

import dev.herald.core.WireName;

import java.util.Locale;
import java.util.Optional;

/**
 * Lifecycle of an account. {@code active} works normally; {@code disabled} refuses its keys and holds its
 * endpoints' deliveries until enabled again; {@code deleted} is on its way out: invisible everywhere while the
 * last of its rows are purged.
 */
public enum AccountStatus implements WireName {
    ACTIVE,
    DISABLED,
    DELETED;

    private static final AccountStatus[] ALL = values();
    private final String wireName = name().toLowerCase(Locale.ROOT);

    @Override
    public String wireName() {
        return wireName;
    }

    public static Optional<AccountStatus> fromWire(String value) {
        return WireName.find(ALL, value);
    }
}

package dev.herald.core.account;

/** The integer id of an account (the tenant; "workspace" in the Midmarket dialect). */
public record AccountId(long value) {
    public AccountId {
        if (value <= 0) {
            throw new IllegalArgumentException("account id must be positive");
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}

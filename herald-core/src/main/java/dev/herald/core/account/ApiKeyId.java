package dev.herald.core.account;

/** The integer id of an API key (seed 000's {@code api_key_id}). */
public record ApiKeyId(long value) {
    public ApiKeyId {
        if (value <= 0) {
            throw new IllegalArgumentException("api key id must be positive");
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}

package dev.herald.core.platform;

/** The integer id of a platform key. */
public record PlatformKeyId(long value) {
    public PlatformKeyId {
        if (value <= 0) {
            throw new IllegalArgumentException("platform key id must be positive");
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}

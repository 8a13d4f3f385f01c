package dev.herald.core.endpoint;

/** The integer id of an endpoint; the API Mall dialect shows it as {@code id}. */
public record EndpointId(long value) {
    public EndpointId {
        if (value <= 0) {
            throw new IllegalArgumentException("endpoint id must be positive");
        }
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}

package dev.herald.core.id;

/** The id of one API request ({@code req_…}), echoed in {@code X-Request-Id} and in error bodies. */
public record RequestId(String value) {
    public RequestId {
        if (!RandomIds.hasShape(value, "req_")) {
            throw new IllegalArgumentException("request id must look like req_…");
        }
    }

    /** A new id: it only tells requests apart, so it comes from the fast generator (one per API request). */
    public static RequestId generate() {
        return new RequestId(RandomIds.nextNonSecret("req_", 26));
    }

    @Override
    public String toString() {
        return value;
    }
}

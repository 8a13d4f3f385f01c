package dev.herald.delivery.send;

import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a response keeping only the first {@code limit} bytes of its body; the rest is read and dropped so a
 * huge body costs bandwidth but never memory. An endless body is stopped by the sender's total deadline.
 */
final class CappedBodyConsumer extends AbstractBinResponseConsumer<CappedBodyConsumer.Response> {
    /** The parts of a response the engine keeps. */
    record Response(int status, byte[] body, Optional<String> retryAfter) {
    }

    /** Most answers are empty or a few bytes, so the excerpt grows as bytes arrive instead of starting at the limit. */
    private static final int FIRST_CAPACITY = 256;

    private final int limit;
    private byte[] kept = new byte[0];
    private int length;
    private int status;
    private Optional<String> retryAfter = Optional.empty();

    CappedBodyConsumer(int limit) {
        this.limit = limit;
    }

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
        status = response.getCode();
        Header header = response.getFirstHeader("Retry-After");
        retryAfter = header == null ? Optional.empty() : Optional.ofNullable(header.getValue());
    }

    @Override
    protected int capacityIncrement() {
        return 64 * 1024;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
        int take = Math.min(src.remaining(), limit - length);
        if (length + take > kept.length) {
            kept = Arrays.copyOf(kept, Math.min(limit, Math.max(length + take, Math.max(FIRST_CAPACITY, 2 * kept.length))));
        }
        src.get(kept, length, take);
        length += take;
        src.position(src.limit());
    }

    @Override
    protected Response buildResult() {
        return new Response(status, Arrays.copyOf(kept, length), retryAfter);
    }

    @Override
    public void releaseResources() {
    }
}

package dev.herald.delivery.send;

import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class CappedBodyConsumerTest {
    private static final int LIMIT = 4096;

    @Test
    void keepsEveryByteOfABodyThatArrivesInChunksBelowTheLimit() {
        byte[] body = bytes(3000);
        var consumer = started();
        feed(consumer, body, 1, 255, 300, 1024, 1420);

        assertThat(consumer.buildResult().body()).isEqualTo(body);
    }

    @Test
    void keepsExactlyTheFirstLimitBytesAndDrainsTheRest() {
        byte[] body = bytes(10_000);
        var consumer = started();
        var last = feed(consumer, body, 100, 3990, 7, 5903);

        assertThat(consumer.buildResult().body()).isEqualTo(Arrays.copyOf(body, LIMIT));
        assertThat(last.hasRemaining()).as("bytes past the limit are consumed, not left in the buffer").isFalse();
    }

    @Test
    void anEmptyBodyIsKeptEmptyWithItsStatusAndRetryAfter() {
        var response = new BasicHttpResponse(429);
        response.addHeader("Retry-After", "30");
        var consumer = new CappedBodyConsumer(LIMIT);
        consumer.start(response, null);
        consumer.data(ByteBuffer.allocate(0), true);

        var result = consumer.buildResult();
        assertThat(result.body()).isEmpty();
        assertThat(result.status()).isEqualTo(429);
        assertThat(result.retryAfter()).contains("30");
    }

    private static CappedBodyConsumer started() {
        var consumer = new CappedBodyConsumer(LIMIT);
        consumer.start(new BasicHttpResponse(200), null);
        return consumer;
    }

    /** Feeds {@code body} in chunks of the given sizes, which must add up to its length; returns the last chunk. */
    private static ByteBuffer feed(CappedBodyConsumer consumer, byte[] body, int... chunks) {
        assertThat(Arrays.stream(chunks).sum()).isEqualTo(body.length);
        int offset = 0;
        ByteBuffer chunk = null;
        for (int i = 0; i < chunks.length; i++) {
            chunk = ByteBuffer.wrap(body, offset, chunks[i]);
            offset += chunks[i];
            consumer.data(chunk, i == chunks.length - 1);
        }
        return chunk;
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + 7);
        }
        return bytes;
    }
}

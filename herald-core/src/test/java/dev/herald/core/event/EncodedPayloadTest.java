package dev.herald.core.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodedPayloadTest {
    private static final String DATA = "{\"name\":\"Zoë\",\"emoji\":\"😀\"}";
    private static final byte[] REQUEST = ("{\"type\":\"a.b\",\"data\":" + DATA + "}").getBytes(StandardCharsets.UTF_8);
    private static final int START = "{\"type\":\"a.b\",\"data\":".length();
    private static final int LENGTH = DATA.getBytes(StandardCharsets.UTF_8).length;

    @Test
    void aPayloadWithinALargerArrayReadsAsItsOwnBytesAndText() {
        var within = EncodedPayload.ofUtf8(REQUEST, START, LENGTH);

        assertThat(within.utf8Length()).isEqualTo(LENGTH);
        assertThat(within.text()).isEqualTo(DATA);
        var into = new byte[LENGTH + 2];
        assertThat(within.copyUtf8(into, 1)).isEqualTo(LENGTH + 1);
        assertThat(new String(into, 1, LENGTH, StandardCharsets.UTF_8)).isEqualTo(DATA);
        assertThat(within.utf8()).isEqualTo(DATA.getBytes(StandardCharsets.UTF_8)).hasSize(LENGTH);
        assertThat(within).isEqualTo(EncodedPayload.of(DATA)).hasSameHashCodeAs(EncodedPayload.of(DATA));
    }

    @Test
    void everyFormCopiesAndMeasuresTheSameBytes() {
        for (var payload : new EncodedPayload[] {EncodedPayload.of(DATA),
                EncodedPayload.ofUtf8(DATA.getBytes(StandardCharsets.UTF_8)),
                EncodedPayload.ofUtf8(REQUEST, START, LENGTH)}) {
            var into = new byte[LENGTH];
            payload.copyUtf8(into, 0);
            assertThat(into).isEqualTo(DATA.getBytes(StandardCharsets.UTF_8));
            assertThat(payload.utf8Length()).isEqualTo(LENGTH);
        }
    }

    @Test
    void aWholeArrayIsNotASliceAndABadRangeIsRefused() {
        byte[] whole = DATA.getBytes(StandardCharsets.UTF_8);
        assertThat(EncodedPayload.ofUtf8(whole, 0, whole.length).utf8()).isSameAs(whole);
        assertThatThrownBy(() -> EncodedPayload.ofUtf8(whole, 2, whole.length))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}

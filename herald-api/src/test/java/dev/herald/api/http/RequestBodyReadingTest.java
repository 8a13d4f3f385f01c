package dev.herald.api.http;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How request bodies are checked as UTF-8 through a small window (chunked bodies: ChunkedRequestBodyTest). */
class RequestBodyReadingTest {
    @Test
    void multiByteCharactersAcrossTheCheckWindowAreValid() {
        // 1,023 ASCII characters put the 2-byte "é" and the 4-byte emoji across window boundaries.
        String text = "a".repeat(1_013) + "é".repeat(700) + "\uD83D\uDE00".repeat(600);
        byte[] body = ("{\"note\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);

        var parsed = RequestBody.parse(body, Set.of("note"), false);

        assertThat(parsed.requiredString("note")).isEqualTo(text);
    }

    @Test
    void anInvalidByteFarIntoTheBodyIsStillRefused() {
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("{\"note\":\"" + "é".repeat(2_000)).getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3); // a lead byte followed by an ASCII quote: malformed
        bytes.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> RequestBody.parse(bytes.toByteArray(), Set.of("note"), false))
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("not valid UTF-8");
                });
    }

    @Test
    void aBodyCutInsideACharacterIsRefused() {
        byte[] whole = "{\"note\":\"\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 2);

        assertThatThrownBy(() -> RequestBody.parse(cut, Set.of("note"), false))
                .isInstanceOfSatisfying(HeraldException.class,
                        e -> assertThat(e.getMessage()).contains("not valid UTF-8"));
    }
}

package dev.herald.api.http;

import dev.herald.api.testing.ApiHarness;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.store.testing.StoreKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How request bodies are read: by declared length, or chunked; and checked as UTF-8 through a small window. */
class RequestBodyReadingTest {
    private static ApiHarness harness;

    @BeforeAll
    static void start() {
        harness = ApiHarness.start(StoreKind.SQLITE);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsReadWhole() throws Exception {
        var account = harness.newAccount();
        byte[] body = ("{\"type\":\"delivered\",\"data\":{\"note\":\"" + "é".repeat(3000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(harness.baseUri().resolve("/v1/events"))
                .header("Authorization", "Bearer " + account.key())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("id").asText();
            var stored = harness.client(account).get("/v1/events/" + id).json();
            assertThat(stored.get("data").get("note").asText()).isEqualTo("é".repeat(3000));
        }
    }

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

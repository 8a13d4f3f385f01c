package dev.herald.acceptance.http;

import dev.herald.acceptance.HeraldExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A request body sent chunked, without a declared length, is read whole (RequestBodyReadingTest: the UTF-8 check). */
class ChunkedRequestBodyTest {
    @RegisterExtension
    static final HeraldExtension herald = HeraldExtension.sqlite();

    @Test
    void aChunkedBodyWithoutContentLengthIsReadWhole() throws Exception {
        var account = herald.newAccount();
        byte[] body = ("{\"type\":\"delivered\",\"data\":{\"note\":\"" + "é".repeat(3000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(herald.baseUri().resolve("/v1/events"))
                .header("Authorization", "Bearer " + account.key())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        try (var client = HttpClient.newHttpClient()) {
            var response = client.send(request, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("id").asText();
            var stored = herald.client(account).get("/v1/events/" + id).json();
            assertThat(stored.get("data").get("note").asText()).isEqualTo("é".repeat(3000));
        }
    }
}

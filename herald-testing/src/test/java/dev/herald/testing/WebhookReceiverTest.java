package dev.herald.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookReceiverTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void close() {
        receiver.close();
        http.close();
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String webhookId) {
        var request = HttpRequest.newBuilder(URI.create(receiver.url(path))).header("webhook-id", webhookId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordsEveryRequestAndAnswersEachPathAsTold() {
        receiver.on("/down", WebhookReceiver.status(503));

        assertThat(post("/ok", "evt_1").join().statusCode()).isEqualTo(200);
        assertThat(post("/down", "evt_1").join().statusCode()).isEqualTo(503);
        assertThat(post("/ok", "evt_1").join().statusCode()).isEqualTo(200);

        assertThat(receiver.requests("/ok")).hasSize(2);
        assertThat(receiver.requests("/ok").getFirst().bodyText()).isEqualTo("{\"n\":1}");
        assertThat(receiver.requests("/ok").getFirst().header("Webhook-Id")).isEqualTo("evt_1");
        assertThat(receiver.received("/down", "evt_1")).isTrue();
        assertThat(receiver.received("/down", "evt_2")).isFalse();
        assertThat(receiver.receipts()).isEqualTo(Map.of("/ok#evt_1", 2, "/down#evt_1", 1));
    }

    @Test
    void aSlowAnswerKeepsTheRequestInFlightUntilTheReceiverCloses() {
        receiver.onEveryOtherPath(WebhookReceiver.slow(Duration.ofMinutes(5)));

        var answer = post("/slow", "evt_1");
        Await.until("the request in flight", () -> receiver.inFlight() == 1);
        assertThat(answer).isNotDone();

        receiver.close();
        Await.until("the request answered or cut once the receiver closed", answer::isDone);
    }
}

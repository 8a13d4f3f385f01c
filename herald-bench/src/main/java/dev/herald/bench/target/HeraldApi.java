package dev.herald.bench.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Herald's canonical API as the bench uses it: create webhooks and broker endpoints, pause and resume them, publish
 * events.
 */
public final class HeraldApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadClient client;
    private final String baseUrl;
    private final Map<String, String> auth;
    private final int concurrency;

    public HeraldApi(String baseUrl, String apiKey, int concurrency) {
        this.client = LoadClient.create(concurrency);
        this.baseUrl = baseUrl;
        this.auth = Map.of("Authorization", "Bearer " + apiKey);
        this.concurrency = concurrency;
    }

    /** A created webhook: its public id and its signing secret. */
    public record Webhook(String id, String secret) {
    }

    /** Herald's answer to a publish. */
    public record Published(String eventId, int deliveries) {
    }

    public Webhook createWebhook(String url, List<String> events) {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        var list = body.putArray("events");
        events.forEach(list::add);
        JsonNode created = expect(client.send("POST", baseUrl + "/v1/webhooks", auth, bytes(body)).join(), 201);
        return new Webhook(created.path("id").asText(), created.path("secret").asText());
    }

    /** A broker endpoint ({@code type} rabbitmq, nats or redis_stream) with its {@code config}. */
    public Webhook createDestination(String type, ObjectNode config, List<String> events) {
        ObjectNode body = JSON.createObjectNode().put("type", type);
        body.set("config", config);
        var list = body.putArray("events");
        events.forEach(list::add);
        JsonNode created = expect(client.send("POST", baseUrl + "/v1/webhooks", auth, bytes(body)).join(), 201);
        return new Webhook(created.path("id").asText(), created.path("secret").asText());
    }

    /** A webhook with its own retry schedule ({@code retry_schedule}, delays in seconds). */
    public Webhook createWebhook(String url, List<String> events, List<Long> retrySchedule) {
        ObjectNode body = JSON.createObjectNode().put("url", url);
        var list = body.putArray("events");
        events.forEach(list::add);
        var delays = body.putArray("retry_schedule");
        retrySchedule.forEach(delays::add);
        JsonNode created = expect(client.send("POST", baseUrl + "/v1/webhooks", auth, bytes(body)).join(), 201);
        return new Webhook(created.path("id").asText(), created.path("secret").asText());
    }

    /** A FIFO webhook ({@code "ordering": "fifo"}): its deliveries arrive in publish order, one at a time. */
    public Webhook createFifoWebhook(String url, List<String> events) {
        ObjectNode body = JSON.createObjectNode().put("url", url).put("ordering", "fifo");
        var list = body.putArray("events");
        events.forEach(list::add);
        JsonNode created = expect(client.send("POST", baseUrl + "/v1/webhooks", auth, bytes(body)).join(), 201);
        return new Webhook(created.path("id").asText(), created.path("secret").asText());
    }

    /** The webhook as {@code GET /v1/webhooks/{id}} shows it (status, circuit, held, stats). */
    public JsonNode webhook(String webhookId) {
        return expect(client.send("GET", baseUrl + "/v1/webhooks/" + webhookId, auth, null).join(), 200);
    }

    /** How many of the webhook's deliveries failed for good (counted up to 250). */
    public int failedDeliveries(String webhookId) {
        JsonNode page = expect(client.send("GET", baseUrl + "/v1/webhooks/" + webhookId
                + "/deliveries?status=failed&limit=250", auth, null).join(), 200);
        return page.path("data").size();
    }

    public void setStatus(String webhookId, String status) {
        update(webhookId, JSON.createObjectNode().put("status", status));
    }

    /** Points the webhook at another URL and sets its status in one update. */
    public void setUrlAndStatus(String webhookId, String url, String status) {
        update(webhookId, JSON.createObjectNode().put("url", url).put("status", status));
    }

    private void update(String webhookId, ObjectNode body) {
        expect(client.send("PATCH", baseUrl + "/v1/webhooks/" + webhookId, auth, bytes(body)).join(), 200);
    }

    /** Publishes once a slot among {@code concurrency} is free; the future completes with Herald's receipt. */
    public CompletableFuture<Published> publish(byte[] body) {
        return client.send("POST", baseUrl + "/v1/events", auth, body).thenApply(response -> {
            JsonNode receipt = expect(response, 202);
            return new Published(receipt.path("id").asText(), receipt.path("deliveries").asInt());
        });
    }

    /**
     * Publishes several events in one request ({@code POST /v1/events/batch}, each body as {@link #eventBody} makes
     * it) once a slot is free; the future completes with the deliveries of all of them, and fails if any event was
     * refused.
     */
    public CompletableFuture<Integer> publishBatch(List<byte[]> bodies) {
        int length = 12;
        for (byte[] body : bodies) {
            length += body.length + 1;
        }
        var batch = new java.io.ByteArrayOutputStream(length);
        batch.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < bodies.size(); i++) {
            if (i > 0) {
                batch.write(',');
            }
            batch.writeBytes(bodies.get(i));
        }
        batch.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return client.send("POST", baseUrl + "/v1/events/batch", auth, batch.toByteArray()).thenApply(response -> {
            int deliveries = 0;
            for (JsonNode item : expect(response, 202).path("data")) {
                if (item.has("error")) {
                    throw new IllegalStateException("Herald refused an event of a batch: " + item);
                }
                deliveries += item.path("deliveries").asInt();
            }
            return deliveries;
        });
    }

    /** The request body of a publish: {@code {"type":…,"data":{"n":…,"filler":…}}}. */
    public static byte[] eventBody(String type, long n, String filler) {
        ObjectNode body = JSON.createObjectNode().put("type", type);
        body.putObject("data").put("n", n).put("filler", filler);
        return bytes(body);
    }

    public void drain() {
        client.drain(concurrency);
    }

    @Override
    public void close() {
        client.close();
    }

    private static JsonNode expect(SimpleHttpResponse response, int status) {
        String text = response.getBodyText();
        if (response.getCode() != status) {
            throw new IllegalStateException("Herald answered " + response.getCode() + " (expected " + status + "): " + text);
        }
        try {
            return text == null || text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Herald answered unreadable JSON: " + text, e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}

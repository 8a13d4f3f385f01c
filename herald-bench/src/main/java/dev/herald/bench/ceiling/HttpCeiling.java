package dev.herald.bench.ceiling;

import dev.herald.bench.receiver.Receiver;
import dev.herald.bench.target.LoadClient;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ceiling A: a plain async HTTP client posting the same 1 KB signed-looking body to the same receiver with the
 * same concurrency as Herald uses. Herald cannot deliver faster than this machine can post.
 */
public final class HttpCeiling {
    private HttpCeiling() {
    }

    /** Requests per second answered 200, over {@code requests} requests after a short warm-up. */
    public static double measure(Receiver receiver, int concurrency, int requests, byte[] body) {
        String uri = receiver.url("/ceiling/0");
        try (var client = LoadClient.create(concurrency)) {
            run(client, uri, Math.max(1_000, requests / 10), concurrency, body);
            long started = System.nanoTime();
            long ok = run(client, uri, requests, concurrency, body);
            double seconds = (System.nanoTime() - started) / 1e9;
            return ok / seconds;
        }
    }

    private static long run(LoadClient client, String uri, int requests, int concurrency, byte[] body) {
        var ok = new AtomicLong();
        for (int i = 0; i < requests; i++) {
            var headers = Map.of("webhook-id", "ceil_" + i, "webhook-timestamp", "0",
                    "webhook-signature", "v1,ceiling");
            client.send("POST", uri, headers, body).thenAccept(r -> {
                if (r.getCode() == 200) {
                    ok.incrementAndGet();
                }
            });
        }
        client.drain(concurrency);
        return ok.get();
    }
}

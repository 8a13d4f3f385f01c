package dev.herald.bench.ceiling;

import dev.herald.bench.receiver.Receiver;
import dev.herald.bench.target.LoadClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ceiling A: a plain async HTTP client posting the same 1 KB signed-looking body to the same receiver with the
 * same concurrency as Herald uses. Herald cannot deliver faster than this machine can post.
 */
public final class HttpCeiling {
    /** Measured rounds; the ceiling is the best of them. */
    static final int ROUNDS = 3;

    private HttpCeiling() {
    }

    /** Requests per second answered 200 in each round, slowest machine moments included. */
    public record Rate(List<Double> rounds) {
        /** The ceiling. */
        public double best() {
            return rounds.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }
    }

    /**
     * Posts for {@code warmUp} first (the client's and the receiver's code is compiled by then, as Herald's is
     * when it is measured), then {@value #ROUNDS} rounds of {@code requests / ROUNDS} requests each. The best
     * round is the ceiling: a round only gets slower when something else on the machine takes the CPU.
     */
    public static Rate measure(Receiver receiver, int concurrency, int requests, byte[] body, Duration warmUp) {
        String uri = receiver.url("/ceiling/0");
        try (var client = LoadClient.create(concurrency)) {
            long warmUntil = System.nanoTime() + warmUp.toNanos();
            do {
                run(client, uri, Math.max(1_000, requests / 10), concurrency, body);
            } while (System.nanoTime() < warmUntil);
            var rounds = new ArrayList<Double>();
            for (int round = 0; round < ROUNDS; round++) {
                long started = System.nanoTime();
                long ok = run(client, uri, Math.max(1_000, requests / ROUNDS), concurrency, body);
                rounds.add(ok / ((System.nanoTime() - started) / 1e9));
            }
            return new Rate(List.copyOf(rounds));
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

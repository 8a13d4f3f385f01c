package dev.herald.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The machine's brokers on 127.0.0.1. A test that needs one is skipped with a one-line reason when it does not
 * answer, except under {@code CI=true}, where {@code .ci/run} started them and a missing one is a failure.
 */
public enum Brokers {
    RABBITMQ("RabbitMQ", 5672),
    NATS("NATS", 4222),
    REDIS("Redis", 6379);

    private final String name;
    private final int port;

    Brokers(String name, int port) {
        this.name = name;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** Skips the calling test (or fails it under CI) unless the broker accepts connections. */
    public void require() {
        if (reachable()) {
            return;
        }
        String reason = name + " is not reachable on 127.0.0.1:" + port;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(reason + " (required under CI=true; .ci/run starts it)");
        }
        Assumptions.abort(reason + "; skipped");
    }

    private boolean reachable() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

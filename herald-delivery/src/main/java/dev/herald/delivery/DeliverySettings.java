package dev.herald.delivery;

import dev.herald.core.HeraldVersion;
import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.id.RandomIds;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.delivery.send.NameLookup;
import dev.herald.delivery.send.SendSettings;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything about delivery that configuration may change, grouped by concern. Start from {@link #defaults()} and
 * adjust with the {@code with…} methods.
 *
 * @param signatureHeaderPrefix {@code X-Herald} gives {@code X-Herald-Signature}
 * @param endpointCacheTtl      how long an endpoint and its secrets are reused without reading the store
 */
public record DeliverySettings(SendSettings send, QueueSettings queues, LimitSettings limits, HealthSettings health,
                               String signatureHeaderPrefix, Duration endpointCacheTtl) {
    public DeliverySettings {
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(queues, "queues");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(signatureHeaderPrefix, "signatureHeaderPrefix");
        Objects.requireNonNull(endpointCacheTtl, "endpointCacheTtl");
        if (send.maxConnections() != limits.maxInFlight()) {
            throw new IllegalArgumentException("the connection pool must match the node's in-flight limit");
        }
    }

    public static DeliverySettings defaults() {
        int maxInFlight = 512;
        return new DeliverySettings(
                new SendSettings(Duration.ofSeconds(5), "Herald/" + HeraldVersion.current(),
                        AddressPolicy.create(List.of()), false, NameLookup.system(), maxInFlight),
                new QueueSettings(Duration.ofMinutes(5), Duration.ofMillis(500), 100, RandomIds.next("node_", 12),
                        Duration.ofSeconds(6), Duration.ofSeconds(10)),
                new LimitSettings(8, maxInFlight),
                new HealthSettings(RetrySchedule.DEFAULT, 3),
                "X-Herald", Duration.ofSeconds(2));
    }

    /** A receiver's {@code Retry-After} is never honoured beyond the schedule's longest delay. */
    public Duration retryAfterCap() {
        return health.retrySchedule().longestDelay();
    }

    public DeliverySettings withSend(SendSettings v) {
        return new DeliverySettings(v, queues, limits, health, signatureHeaderPrefix, endpointCacheTtl);
    }

    public DeliverySettings withQueues(QueueSettings v) {
        return new DeliverySettings(send, v, limits, health, signatureHeaderPrefix, endpointCacheTtl);
    }

    public DeliverySettings withHealth(HealthSettings v) {
        return new DeliverySettings(send, queues, limits, v, signatureHeaderPrefix, endpointCacheTtl);
    }

    public DeliverySettings withRequestTimeout(Duration v) {
        return withSend(new SendSettings(v, send.userAgent(), send.addressPolicy(), send.allowHttp(),
                send.nameLookup(), send.maxConnections()));
    }

    public DeliverySettings withUserAgent(String v) {
        return withSend(new SendSettings(send.requestTimeout(), v, send.addressPolicy(), send.allowHttp(),
                send.nameLookup(), send.maxConnections()));
    }

    public DeliverySettings withAddressPolicy(AddressPolicy v) {
        return withSend(new SendSettings(send.requestTimeout(), send.userAgent(), v, send.allowHttp(),
                send.nameLookup(), send.maxConnections()));
    }

    public DeliverySettings withAllowHttp(boolean v) {
        return withSend(new SendSettings(send.requestTimeout(), send.userAgent(), send.addressPolicy(), v,
                send.nameLookup(), send.maxConnections()));
    }

    public DeliverySettings withNameLookup(NameLookup v) {
        return withSend(new SendSettings(send.requestTimeout(), send.userAgent(), send.addressPolicy(),
                send.allowHttp(), v, send.maxConnections()));
    }

    public DeliverySettings withMaxConcurrencyPerEndpoint(int v) {
        return new DeliverySettings(send, queues, new LimitSettings(v, limits.maxInFlight()), health,
                signatureHeaderPrefix, endpointCacheTtl);
    }

    /** The node's in-flight limit, which also bounds the connection pool. */
    public DeliverySettings withMaxInFlight(int v) {
        var pool = new SendSettings(send.requestTimeout(), send.userAgent(), send.addressPolicy(), send.allowHttp(),
                send.nameLookup(), v);
        return new DeliverySettings(pool, queues, new LimitSettings(limits.maxConcurrencyPerEndpoint(), v), health,
                signatureHeaderPrefix, endpointCacheTtl);
    }

    public DeliverySettings withLeaseDuration(Duration v) {
        return withQueues(new QueueSettings(v, queues.pollInterval(), queues.batchSize(), queues.nodeId(),
                queues.shutdownGrace(), queues.sweepInterval()));
    }

    public DeliverySettings withPollInterval(Duration v) {
        return withQueues(new QueueSettings(queues.leaseDuration(), v, queues.batchSize(), queues.nodeId(),
                queues.shutdownGrace(), queues.sweepInterval()));
    }

    public DeliverySettings withBatchSize(int v) {
        return withQueues(new QueueSettings(queues.leaseDuration(), queues.pollInterval(), v, queues.nodeId(),
                queues.shutdownGrace(), queues.sweepInterval()));
    }

    public DeliverySettings withNodeId(String v) {
        return withQueues(new QueueSettings(queues.leaseDuration(), queues.pollInterval(), queues.batchSize(), v,
                queues.shutdownGrace(), queues.sweepInterval()));
    }

    public DeliverySettings withShutdownGrace(Duration v) {
        return withQueues(new QueueSettings(queues.leaseDuration(), queues.pollInterval(), queues.batchSize(),
                queues.nodeId(), v, queues.sweepInterval()));
    }

    public DeliverySettings withSweepInterval(Duration v) {
        return withQueues(new QueueSettings(queues.leaseDuration(), queues.pollInterval(), queues.batchSize(),
                queues.nodeId(), queues.shutdownGrace(), v));
    }

    public DeliverySettings withRetrySchedule(RetrySchedule v) {
        return withHealth(new HealthSettings(v, health.failingThreshold(), health.breaker()));
    }

    public DeliverySettings withFailingThreshold(int v) {
        return withHealth(new HealthSettings(health.retrySchedule(), v, health.breaker()));
    }

    /** Circuit breaker on or off ({@link HealthSettings#breaker()}). */
    public DeliverySettings withBreaker(boolean v) {
        return withHealth(new HealthSettings(health.retrySchedule(), health.failingThreshold(), v));
    }

    public DeliverySettings withSignatureHeaderPrefix(String v) {
        return new DeliverySettings(send, queues, limits, health, v, endpointCacheTtl);
    }

    public DeliverySettings withEndpointCacheTtl(Duration v) {
        return new DeliverySettings(send, queues, limits, health, signatureHeaderPrefix, v);
    }

    static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}

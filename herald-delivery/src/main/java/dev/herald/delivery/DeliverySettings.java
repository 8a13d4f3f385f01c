package dev.herald.delivery;

import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.id.RandomIds;
import dev.herald.core.outbound.AddressPolicy;
import dev.herald.delivery.send.NameLookup;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything about delivery that configuration may change. Start from {@link #defaults()} and adjust with the
 * {@code with…} methods.
 *
 * @param requestTimeout         total time one attempt may take: connect, headers and body together
 * @param maxConcurrencyPerEndpoint requests in flight to one endpoint at most
 * @param maxInFlight            requests in flight on this node at most
 * @param leaseDuration          how long claimed work stays ours before another node may take it over
 * @param pollInterval           how often due retries are looked for when nothing wakes the poller
 * @param batchSize              most deliveries claimed, events inserted or attempts recorded in one transaction
 * @param signatureHeaderPrefix  {@code X-Herald} gives {@code X-Herald-Signature}
 * @param addressPolicy          which resolved addresses may be contacted (the SSRF allowlist)
 * @param allowHttp              whether plain {@code http://} URLs are sent to (tests and local setups only)
 * @param nodeId                 this process's name on leases
 * @param failingThreshold       consecutive failed attempts that mark an endpoint failing
 * @param nameLookup             the DNS lookup under the address check
 * @param endpointCacheTtl       how long an endpoint and its secrets are reused without reading the store
 * @param shutdownGrace          how long {@code close()} waits for requests in flight
 */
public record DeliverySettings(Duration requestTimeout, RetrySchedule retrySchedule, int maxConcurrencyPerEndpoint,
                               int maxInFlight, Duration leaseDuration, Duration pollInterval, int batchSize,
                               String signatureHeaderPrefix, String userAgent, AddressPolicy addressPolicy,
                               boolean allowHttp, String nodeId, int failingThreshold, NameLookup nameLookup,
                               Duration endpointCacheTtl, Duration shutdownGrace) {
    public static final String VERSION = "0.1.0";

    public DeliverySettings {
        positive(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retrySchedule, "retrySchedule");
        positive(leaseDuration, "leaseDuration");
        positive(pollInterval, "pollInterval");
        Objects.requireNonNull(endpointCacheTtl, "endpointCacheTtl");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(signatureHeaderPrefix, "signatureHeaderPrefix");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(addressPolicy, "addressPolicy");
        Objects.requireNonNull(nameLookup, "nameLookup");
        if (maxConcurrencyPerEndpoint < 1 || maxInFlight < 1 || batchSize < 1 || failingThreshold < 1) {
            throw new IllegalArgumentException("concurrency limits, batch size and failing threshold must be positive");
        }
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 100) {
            throw new IllegalArgumentException("node id must be 1-100 characters");
        }
    }

    public static DeliverySettings defaults() {
        return new DeliverySettings(Duration.ofSeconds(5), RetrySchedule.DEFAULT, 8, 512, Duration.ofMinutes(5),
                Duration.ofMillis(500), 100, "X-Herald", "Herald/" + VERSION, AddressPolicy.create(List.of()),
                false, RandomIds.next("node_", 12), 3, NameLookup.system(), Duration.ofSeconds(2),
                Duration.ofSeconds(6));
    }

    /** A receiver's {@code Retry-After} is never honoured beyond the schedule's longest delay. */
    public Duration retryAfterCap() {
        return retrySchedule.longestDelay();
    }

    public DeliverySettings withRequestTimeout(Duration v) {
        return new DeliverySettings(v, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight, leaseDuration,
                pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withRetrySchedule(RetrySchedule v) {
        return new DeliverySettings(requestTimeout, v, maxConcurrencyPerEndpoint, maxInFlight, leaseDuration,
                pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withMaxConcurrencyPerEndpoint(int v) {
        return new DeliverySettings(requestTimeout, retrySchedule, v, maxInFlight, leaseDuration,
                pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withMaxInFlight(int v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, v, leaseDuration,
                pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withLeaseDuration(Duration v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight, v,
                pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withPollInterval(Duration v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, v, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withBatchSize(int v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, v, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withSignatureHeaderPrefix(String v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, v, userAgent, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withUserAgent(String v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, signatureHeaderPrefix, v, addressPolicy, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withAddressPolicy(AddressPolicy v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, signatureHeaderPrefix, userAgent, v, allowHttp, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withAllowHttp(boolean v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, v, nodeId,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withNodeId(String v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp, v,
                failingThreshold, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withFailingThreshold(int v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp,
                nodeId, v, nameLookup, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withNameLookup(NameLookup v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp,
                nodeId, failingThreshold, v, endpointCacheTtl, shutdownGrace);
    }

    public DeliverySettings withEndpointCacheTtl(Duration v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp,
                nodeId, failingThreshold, nameLookup, v, shutdownGrace);
    }

    public DeliverySettings withShutdownGrace(Duration v) {
        return new DeliverySettings(requestTimeout, retrySchedule, maxConcurrencyPerEndpoint, maxInFlight,
                leaseDuration, pollInterval, batchSize, signatureHeaderPrefix, userAgent, addressPolicy, allowHttp,
                nodeId, failingThreshold, nameLookup, endpointCacheTtl, v);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}

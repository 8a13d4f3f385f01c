package dev.herald.app.config;

import dev.herald.core.delivery.RetrySchedule;
import dev.herald.core.event.EventType;
import dev.herald.core.outbound.Cidr;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Herald's whole configuration, typed and validated. {@code breaker} is {@code delivery.breaker}: whether a failing
 * endpoint's circuit opens (issue 24). Built by {@link ConfigLoader} from defaults, an optional
 * properties file and {@code HERALD_*} environment variables, in that order of precedence (last wins).
 */
public record HeraldConfig(
        String listenHost,
        int listenPort,
        StoreLocation store,
        Optional<String> adminToken,
        Duration deliveryTimeout,
        RetrySchedule retrySchedule,
        int endpointConcurrency,
        int maxInFlight,
        Duration lease,
        Set<String> allowedSchemes,
        List<Cidr> allowlist,
        String signatureHeaderPrefix,
        List<EventType> eventTypes,
        Duration secretRotationOverlap,
        int apiRateLimitPerSecond,
        LogFormat logFormat,
        Duration retention,
        Duration shutdownGrace,
        TracingSettings tracing,
        PortalConfig portal,
        boolean breaker) {

    public enum LogFormat { TEXT, JSON }

    /** Never print the admin token. */
    @Override
    public String toString() {
        return "HeraldConfig[listen=" + listenHost + ":" + listenPort + ", store=" + describeStore()
                + ", admin=" + (adminToken.isPresent() ? "on" : "off") + ", schemes=" + allowedSchemes
                + ", allowlist=" + allowlist + ", eventTypes=" + eventTypes.size() + "]";
    }

    public String describeStore() {
        return switch (store) {
            case StoreLocation.Sqlite s -> "sqlite:" + s.directory().toAbsolutePath().normalize();
            case StoreLocation.Postgres p -> "postgres (" + p.jdbcUrl().replaceAll("password=[^&]*", "password=***") + ")";
        };
    }
}

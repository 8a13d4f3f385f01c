package dev.herald.delivery.send;

import dev.herald.core.outbound.AddressPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * How requests to receivers are made.
 *
 * @param requestTimeout total time one attempt may take: connect, headers and body together
 * @param userAgent      the {@code User-Agent} every delivery carries
 * @param addressPolicy  which resolved addresses may be contacted (the SSRF allowlist)
 * @param allowHttp      whether plain {@code http://} URLs are sent to (tests and local setups only)
 * @param nameLookup     the DNS lookup under the address check
 * @param maxConnections connections open at once at most (the node's in-flight limit)
 */
public record SendSettings(Duration requestTimeout, String userAgent, AddressPolicy addressPolicy, boolean allowHttp,
                           NameLookup nameLookup, int maxConnections) {
    public SendSettings {
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive");
        }
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(addressPolicy, "addressPolicy");
        Objects.requireNonNull(nameLookup, "nameLookup");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
    }
}

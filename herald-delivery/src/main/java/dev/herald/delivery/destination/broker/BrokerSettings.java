package dev.herald.delivery.destination.broker;

import dev.herald.delivery.send.CheckedDnsResolver;
import dev.herald.delivery.send.SendSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * What every broker sender needs: the attempt deadline (connect and confirmation each within it), the checked
 * resolver for broker hosts (the webhook SSRF rules), and the reconnection backoff.
 *
 * @param backoffFirst wait after the first failed connect before the next is tried; doubled per failure
 * @param backoffMax   the longest wait between connects
 */
public record BrokerSettings(Duration timeout, CheckedDnsResolver hosts, Duration backoffFirst, Duration backoffMax) {
    /** A connection no attempt used for this long is closed (a deleted endpoint's, an old config's). */
    public static final Duration IDLE_AFTER = Duration.ofMinutes(10);

    public BrokerSettings {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(backoffFirst, "backoffFirst");
        Objects.requireNonNull(backoffMax, "backoffMax");
    }

    public static BrokerSettings from(SendSettings settings) {
        // Retries are paced by the retry schedule; the backoff only stops a burst of due deliveries from dialling
        // a dead broker once each, so it starts small and stays well under the schedule's first delay.
        return new BrokerSettings(settings.requestTimeout(),
                new CheckedDnsResolver(settings.nameLookup(), settings.addressPolicy()), Duration.ofMillis(100),
                Duration.ofSeconds(10));
    }
}

package dev.herald.core.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the platform keeps on an endpoint beside its delivery settings (a Svix endpoint's fields): its own
 * {@code uid} (unique in the account), {@code metadata} labels, the {@code channels} it listens to (none: every
 * message) and a {@code version} number it chose.
 */
public record EndpointProfile(Optional<String> uid, Map<String, String> metadata, List<String> channels,
                              int version) {
    public static final EndpointProfile NONE = new EndpointProfile(Optional.empty(), Map.of(), List.of(), 1);

    public EndpointProfile {
        Objects.requireNonNull(uid, "uid");
        metadata = Map.copyOf(metadata);
        channels = List.copyOf(channels);
        if (version < 1) {
            throw new IllegalArgumentException("endpoint version must be at least 1");
        }
    }

    /**
     * Whether a message on {@code messageChannels} reaches this endpoint: one without channels hears every
     * message; one with channels only messages on at least one of them.
     */
    public boolean hears(List<String> messageChannels) {
        return channels.isEmpty() || messageChannels.stream().anyMatch(channels::contains);
    }
}

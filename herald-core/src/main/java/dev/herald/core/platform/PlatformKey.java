package dev.herald.core.platform;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored platform key: the credential of the product that runs Herald, good for the admin API and for
 * publishing on behalf of any account. Only the SHA-256 hash of its token is kept; {@code hint} is the last four
 * characters.
 */
public record PlatformKey(PlatformKeyId id, String name, String hint, Instant createdAt, Optional<Instant> revokedAt) {
    public PlatformKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }
}

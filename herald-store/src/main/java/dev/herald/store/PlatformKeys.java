package dev.herald.store;

import dev.herald.core.platform.PlatformKey;
import dev.herald.core.platform.PlatformKeyId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Platform keys, stored by the SHA-256 hash of their token only. */
public interface PlatformKeys {
    PlatformKey create(String name, String tokenHash, String hint, Instant now);

    /** The key whose token hashes to {@code tokenHash}, only when it is not revoked. */
    Optional<PlatformKey> findActiveByHash(String tokenHash);

    Optional<PlatformKey> find(PlatformKeyId id);

    /** Every platform key, revoked ones included, oldest first. */
    List<PlatformKey> list();

    /** Marks the key revoked; false when it does not exist or was already revoked. */
    boolean revoke(PlatformKeyId id, Instant now);
}

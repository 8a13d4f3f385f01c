package dev.herald.service.platform;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.core.platform.PlatformKey;
import dev.herald.core.platform.PlatformKeyId;
import dev.herald.core.platform.PlatformKeyToken;
import dev.herald.store.PlatformKeys;

import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * Issues, lists and revokes platform keys: the credentials of the product that runs Herald. The CLI and the
 * admin API both use it.
 */
public final class PlatformKeyService {
    public static final int MAX_NAME = 200;

    private final PlatformKeys keys;
    private final Clock clock;
    private final Consumer<PlatformKeyId> revoked;

    /** {@code revoked} hears of every key revoked here (the server's authenticator forgets it at once). */
    public PlatformKeyService(PlatformKeys keys, Clock clock, Consumer<PlatformKeyId> revoked) {
        this.keys = keys;
        this.clock = clock;
        this.revoked = revoked;
    }

    /** A freshly issued platform key: the plaintext token exists only here and is shown once. */
    public record IssuedPlatformKey(PlatformKey key, PlatformKeyToken token) {
    }

    public IssuedPlatformKey issue(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw HeraldException.field(ErrorCode.INVALID_REQUEST, "name",
                    "platform key name must be 1-" + MAX_NAME + " characters");
        }
        var token = PlatformKeyToken.generate();
        return new IssuedPlatformKey(keys.create(name.strip(), token.hash(), token.hint(), clock.instant()), token);
    }

    public List<PlatformKey> list() {
        return keys.list();
    }

    public PlatformKey revoke(PlatformKeyId id) {
        PlatformKey key = keys.find(id).orElseThrow(() -> notFound(id));
        keys.revoke(id, clock.instant());
        revoked.accept(id);
        return keys.find(id).orElse(key);
    }

    private static HeraldException notFound(PlatformKeyId id) {
        return HeraldException.of(ErrorCode.NOT_FOUND, "platform key " + id + " not found");
    }
}

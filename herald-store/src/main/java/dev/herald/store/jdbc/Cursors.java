package dev.herald.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Opaque page cursors: base64url of the last row's integer key, so callers do not build them by hand. */
final class Cursors {
    private Cursors() {
    }

    static String encode(long key) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Long.toString(key).getBytes(StandardCharsets.US_ASCII));
    }

    /** The key rows must be below; {@link Long#MAX_VALUE} for the first page. */
    static long upperBound(Optional<String> cursor) {
        if (cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            long key = Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor.get()), StandardCharsets.US_ASCII));
            if (key <= 0) {
                throw new IllegalArgumentException("invalid cursor");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
    }
}

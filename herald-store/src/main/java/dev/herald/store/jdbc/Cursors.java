package dev.herald.store.jdbc;

import dev.herald.store.InvalidCursorException;

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

    /** The key rows must be below; {@link Long#MAX_VALUE} for the first page. @throws InvalidCursorException */
    static long upperBound(Optional<String> cursor) {
        if (cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long key;
        try {
            key = Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor.get()), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) { // bad base64 or not a number (NumberFormatException)
            throw new InvalidCursorException("invalid cursor", e);
        }
        if (key <= 0) {
            throw new InvalidCursorException("invalid cursor", null);
        }
        return key;
    }
}

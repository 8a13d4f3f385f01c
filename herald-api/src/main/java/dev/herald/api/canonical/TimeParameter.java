package dev.herald.api.canonical;

import dev.herald.api.http.ApiTime;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.Optional;

/**
 * A time in a query parameter: RFC 3339 between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range the
 * stores keep (epoch milliseconds). Anything else is {@code 400 invalid_request} naming the parameter, never a
 * 500 from an overflow further down.
 */
final class TimeParameter {
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private TimeParameter() {
    }

    static Optional<Instant> of(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return Optional.empty();
        }
        Instant value = ApiTime.parse(text.strip())
                .filter(t -> !t.isBefore(EARLIEST) && !t.isAfter(LATEST))
                .orElseThrow(() -> HeraldException.field(ErrorCode.INVALID_REQUEST, name, name
                        + " must be an RFC 3339 timestamp between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z,"
                        + " such as 2024-01-15T10:00:00Z"));
        return Optional.of(value);
    }
}

package dev.herald.api.http;

import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.store.PageRequest;
import io.javalin.http.Context;

import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Which part of a whole list a dialect's list route answers with, read from its query parameters and bounded like
 * the canonical {@code ?limit=} (at most {@link PageRequest#MAX_LIMIT} items): API Mall's {@code page}/{@code per_page}
 * and Midmarket's {@code offset}/{@code limit}. Without them the route answers the whole list, as the seeds show.
 * A parameter out of range or not an integer is {@code invalid_request} naming it (400, or 422 on Midmarket).
 */
public record ListWindow(long skip, OptionalInt limit) {
    /** The whole list. */
    public static final ListWindow ALL = new ListWindow(0, OptionalInt.empty());

    /** {@code ?page=} (1 or more, default 1) of {@code ?per_page=} items (1 to 250; default: the whole list). */
    public static ListWindow pages(Context ctx, String pageParam, String sizeParam) {
        int page = integer(ctx, pageParam, 1, Integer.MAX_VALUE).orElse(1);
        OptionalInt size = integer(ctx, sizeParam, 1, PageRequest.MAX_LIMIT);
        return size.isEmpty()
                ? new ListWindow(page == 1 ? 0 : Long.MAX_VALUE, OptionalInt.empty())
                : new ListWindow((page - 1L) * size.getAsInt(), size);
    }

    /** {@code ?offset=} items skipped (0 or more, default 0), then at most {@code ?limit=} (1 to 250). */
    public static ListWindow offsets(Context ctx, String offsetParam, String limitParam) {
        int offset = integer(ctx, offsetParam, 0, Integer.MAX_VALUE).orElse(0);
        return new ListWindow(offset, integer(ctx, limitParam, 1, PageRequest.MAX_LIMIT));
    }

    /** Passes on to {@code action} only the items of the whole list, met in order, that fall in this window. */
    public <T> Consumer<T> over(Consumer<T> action) {
        long[] seen = {0};
        return item -> {
            long index = seen[0]++;
            if (index >= skip && (limit.isEmpty() || index - skip < limit.getAsInt())) {
                action.accept(item);
            }
        };
    }

    private static OptionalInt integer(Context ctx, String param, int min, int max) {
        String text = ctx.queryParam(param);
        if (text == null) {
            return OptionalInt.empty();
        }
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw outOfRange(param, min, max);
        }
        if (value < min || value > max) {
            throw outOfRange(param, min, max);
        }
        return OptionalInt.of(value);
    }

    private static HeraldException outOfRange(String param, int min, int max) {
        return HeraldException.field(ErrorCode.INVALID_REQUEST, param, param + " must be an integer between " + min
                + " and " + max);
    }
}

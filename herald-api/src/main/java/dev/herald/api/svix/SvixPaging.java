package dev.herald.api.svix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.http.Json;
import dev.herald.core.error.ErrorCode;
import dev.herald.core.error.HeraldException;
import dev.herald.store.ListOrder;
import dev.herald.store.Page;
import dev.herald.store.PageRequest;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Svix's list conventions: {@code ?limit=} (default 50, at most 250, more is 422), {@code ?iterator=} and
 * {@code ?order=ascending|descending} in, {@code {"data":[…],"iterator":…,"prevIterator":null,"done":…}} out.
 * Store listings (messages, attempts, endpoints) run newest first by default, keyset-paged in either order; lists held
 * whole (applications, event types) run oldest first by default.
 */
final class SvixPaging {
    static final int DEFAULT_LIMIT = 50;

    /** The list order a request asked for. */
    enum Order {
        ASCENDING, DESCENDING
    }

    private SvixPaging() {
    }

    static PageRequest pageRequest(Context ctx) {
        return new PageRequest(iterator(ctx), limit(ctx));
    }

    static int limit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= PageRequest.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HeraldException.field(ErrorCode.INVALID_REQUEST, "limit",
                "limit must be between 1 and " + PageRequest.MAX_LIMIT);
    }

    static Optional<String> iterator(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("iterator")).filter(i -> !i.isEmpty());
    }

    /** {@code order}, {@code fallback} when not given. */
    static Order order(Context ctx, Order fallback) {
        String text = ctx.queryParam("order");
        if (text == null) {
            return fallback;
        }
        return switch (text) {
            case "ascending" -> Order.ASCENDING;
            case "descending" -> Order.DESCENDING;
            default -> throw HeraldException.field(ErrorCode.INVALID_REQUEST, "order",
                    "order must be ascending or descending");
        };
    }

    /** The store order of a list that runs newest first unless {@code order=ascending}. */
    static ListOrder listOrder(Context ctx) {
        return order(ctx, Order.DESCENDING) == Order.ASCENDING ? ListOrder.OLDEST_FIRST : ListOrder.NEWEST_FIRST;
    }

    static <T> ObjectNode page(Page<T> page, Function<T, ? extends JsonNode> render) {
        var body = Json.object();
        var data = body.putArray("data");
        page.items().forEach(item -> data.add(render.apply(item)));
        if (page.nextCursor().isPresent()) {
            body.put("iterator", page.nextCursor().get());
        } else {
            body.putNull("iterator");
        }
        body.putNull("prevIterator");
        body.put("done", !page.hasMore());
        return body;
    }

    /** {@code items} (oldest first) in the order the request asks for, oldest first unless told otherwise. */
    static <T> List<T> ordered(List<T> items, Context ctx) {
        if (order(ctx, Order.ASCENDING) == Order.ASCENDING) {
            return items;
        }
        var reversed = new ArrayList<>(items);
        Collections.reverse(reversed);
        return reversed;
    }

    /**
     * One page of a list held whole, in the order given, after the item whose id is the iterator; the iterator out
     * is the id of the page's last item.
     */
    static <T> ObjectNode page(List<T> items, Context ctx, Function<T, String> id,
                               Function<T, ? extends JsonNode> render) {
        int limit = limit(ctx);
        int start = 0;
        Optional<String> after = iterator(ctx);
        if (after.isPresent()) {
            start = -1;
            for (int i = 0; i < items.size(); i++) {
                if (id.apply(items.get(i)).equals(after.get())) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw HeraldException.field(ErrorCode.INVALID_REQUEST, "iterator", "iterator is not valid");
            }
        }
        int end = Math.min(items.size(), start + limit);
        List<T> shown = items.subList(start, end);
        boolean more = end < items.size();
        return page(new Page<>(shown, more, more ? Optional.of(id.apply(shown.getLast())) : Optional.empty()), render);
    }
}
